// Shadow memory (detector/src/shadow.hpp, shadow.cpp) at its edges, beside shadow_test.cpp: the
// first and last words of the three application ranges map inside the shadow, meta and summary
// regions (the mmap area's last word onto their very last bytes), addresses outside the ranges
// alias into the same index space, and resets forget exactly their range whatever its alignment:
// either side of the size where zeroing gives way to returning pages, on shadow that does not
// start on a page, a lone cell in a small reset (with and without AVX2), part of a word, nothing,
// and all of it. The detector maps the regions before main, so the tests read and write them
// directly.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>

#include "clock.hpp"
#include "shadow.hpp"

namespace goro::race {
namespace {

struct app_range {
  std::uintptr_t lo, hi;
};
constexpr app_range kRanges[] = {
    {0x0000'0000'0000, 0x0080'0000'0000},  // non-PIE binaries, brk heap
    {0x5500'0000'0000, 0x5a00'0000'0000},  // PIE binaries
    {0x7a00'0000'0000, 0x8000'0000'0000},  // mmap area
};

std::uintptr_t at(const void* p) { return reinterpret_cast<std::uintptr_t>(p); }

TEST(ShadowBounds, EveryRangesFirstAndLastWordMapInsideTheRegions) {
  for (const app_range& r : kRanges) {
    for (std::uintptr_t word : {r.lo, r.hi - 8}) {
      SCOPED_TRACE(testing::Message() << std::hex << word);
      EXPECT_GE(at(shadow_of(word)), kShadowBase);
      EXPECT_LE(at(shadow_of(word) + kCellsPerWord), kShadowBase + kShadowSize);
      EXPECT_GE(at(meta_of(word)), kMetaBase);
      EXPECT_LE(at(meta_of(word) + 1), kMetaBase + kMetaSize);
      EXPECT_GE(at(summary_of(word)), kSummaryBase);
      EXPECT_LT(at(summary_of(word + 7)), kSummaryBase + kSummarySize);
    }
  }
  // The index space is used to its end, and no further.
  EXPECT_EQ(at(shadow_of(0)), kShadowBase);
  EXPECT_EQ(at(shadow_of(0x7fff'ffff'ffff) + kCellsPerWord), kShadowBase + kShadowSize);
  EXPECT_EQ(at(meta_of(0x7fff'ffff'ffff) + 1), kMetaBase + kMetaSize);
  EXPECT_EQ(at(summary_of(0x7fff'ffff'ffff) + 1), kSummaryBase + kSummarySize);
}

TEST(ShadowBounds, TheRangesOccupyDisjointStretchesOfShadowInAddressOrder) {
  for (std::size_t i = 0; i + 1 < std::size(kRanges); ++i) {
    EXPECT_LT(shadow_of(kRanges[i].hi - 8), shadow_of(kRanges[i + 1].lo)) << "range " << i;
    EXPECT_LT(meta_of(kRanges[i].hi - 8), meta_of(kRanges[i + 1].lo)) << "range " << i;
  }
}

// Outside the three ranges an address shares the cells of the one 16 TiB apart in the index space.
TEST(ShadowBounds, AddressesOutsideTheRangesAliasIntoTheIndexSpace) {
  for (std::uintptr_t addr : {std::uintptr_t{0x0123'4567'89a8}, std::uintptr_t{0x3000'0000'0010},
                              std::uintptr_t{0x6543'2100'0008}, std::uintptr_t{0xffff'ffff'fff8}}) {
    SCOPED_TRACE(testing::Message() << std::hex << addr);
    EXPECT_EQ(shadow_of(addr), shadow_of(addr & kAppMask));
    EXPECT_EQ(meta_of(addr), meta_of(addr & kAppMask));
    EXPECT_EQ(summary_of(addr), summary_of(addr & kAppMask));
    EXPECT_LE(at(shadow_of(addr) + kCellsPerWord), kShadowBase + kShadowSize);
  }
}

const raw_cell kCell = make_cell(make_stamp(9, 3, 1), 0, 8, false, false);

void fill(std::uintptr_t addr, std::size_t size) {
  for (std::uintptr_t a = addr; a < addr + size; a += 8) {
    for (int i = 0; i < kCellsPerWord; ++i) shadow_of(a)[i] = kCell;
  }
}

// The words of [addr, addr+size) that still hold a cell.
int words_kept(std::uintptr_t addr, std::size_t size) {
  int kept = 0;
  for (std::uintptr_t a = addr; a < addr + size; a += 8) {
    for (int i = 0; i < kCellsPerWord; ++i) {
      if (shadow_of(a)[i] != 0) {
        ++kept;
        break;
      }
    }
  }
  return kept;
}

// Shadow is 2 bytes per byte: 32 KiB is the 64 KiB of shadow where zeroing gives way to returning
// pages, and an offset of 8 or 2040 starts the range's shadow 16 bytes past or before a page.
TEST(ShadowBounds, ResetsForgetExactlyTheirRangeEitherSideOfThePageThreshold) {
  for (std::size_t size :
       {std::size_t{32768 - 8}, std::size_t{32768}, std::size_t{(1 << 20) + 24}}) {
    for (std::size_t offset : {std::size_t{8}, std::size_t{2040}}) {
      SCOPED_TRACE(testing::Message() << size << " bytes at +" << offset);
      void* block = std::aligned_alloc(4096, size + 3 * 4096);
      ASSERT_NE(block, nullptr);
      const std::uintptr_t base = at(block) + 4096 + offset;
      fill(base - 64, size + 128);
      reset_shadow(base, size);
      EXPECT_EQ(words_kept(base, size), 0);
      EXPECT_EQ(words_kept(base - 64, 64), 8) << "the words before";
      EXPECT_EQ(words_kept(base + size, 64), 8) << "the words after";
      std::free(block);  // the race runtime's free forgets the rest
    }
  }
}

// Below the threshold a reset tests the shadow a group of vectors at a time (eight with AVX2, four
// without) and zeroes a group only when something in it is set: a single cell anywhere in the
// range, in a whole group or in the tail after the last one, is forgotten, with either loop.
TEST(ShadowBounds, ASmallResetFindsALoneCellAnywhereInItsRange) {
  alignas(64) static char memory[1200 + 128];
  for (bool wide : {false, true}) {
    clocks_init(/*allow_wide=*/wide);
    for (std::size_t size : {8, 56, 64, 72, 120, 128, 136, 504, 512, 520, 1096}) {
      for (std::size_t offset : {std::size_t{64}, std::size_t{72}}) {
        const std::uintptr_t base = at(memory) + offset;
        for (std::size_t k = 0; k < size; k += 8) {
          SCOPED_TRACE(testing::Message() << (wide ? "wide, " : "narrow, ") << size << " bytes at +"
                                          << offset << ", word " << k / 8);
          fill(base - 8, 8);
          fill(base + size, 8);
          shadow_of(base + k)[k / 8 % kCellsPerWord] = kCell;
          reset_shadow(base, size);
          EXPECT_EQ(words_kept(base, size), 0);
          EXPECT_EQ(words_kept(base - 8, 8) + words_kept(base + size, 8), 2) << "the neighbours";
        }
        reset_shadow(base - 8, size + 16);
      }
    }
  }
  clocks_init();
}

TEST(ShadowBounds, ResettingPartOfAWordForgetsTheCellsThatCoverIt) {
  alignas(8) static char word[24];
  const std::uintptr_t w = at(word) + 8;
  fill(w - 8, 24);
  shadow_of(w)[0] = make_cell(make_stamp(1, 1, 0), 3, 2, false, false);  // bytes 3..4
  shadow_of(w)[1] = make_cell(make_stamp(1, 1, 0), 4, 4, true, false);   // bytes 4..7
  reset_shadow(w + 4, 1);
  for (int i = 0; i < kCellsPerWord; ++i) {
    const raw_cell c = shadow_of(w)[i];
    EXPECT_TRUE(c == 0 || (cell_mask(c) & 0x10u) == 0) << "cell " << i << " covers byte 4";
  }
  EXPECT_EQ(words_kept(w - 8, 8) + words_kept(w + 8, 8), 2) << "the neighbouring words";
  reset_shadow(w - 8, 24);
}

TEST(ShadowBounds, AnEmptyResetForgetsNothing) {
  alignas(8) static char word[8];
  fill(at(word), 8);
  reset_shadow(at(word), 0);
  reset_shadow(at(word) + 3, 0);
  EXPECT_EQ(words_kept(at(word), 8), 1);
  reset_shadow(at(word), 8);
  EXPECT_EQ(words_kept(at(word), 8), 0);
}

// The shadow's first and last words (of addresses 0 and 0x7fff'ffff'fff8) are mapped like any
// other.
TEST(ShadowBounds, TheFirstAndLastShadowWordsHoldAndForgetCells) {
  for (std::uintptr_t word : {std::uintptr_t{0}, std::uintptr_t{0x7fff'ffff'fff8}}) {
    fill(word, 8);
    EXPECT_EQ(shadow_of(word)[kCellsPerWord - 1], kCell);
    reset_shadow(word, 8);
    EXPECT_EQ(words_kept(word, 8), 0);
  }
}

TEST(ShadowBounds, AGlobalResetForgetsEveryCell) {
  void* block = std::malloc(4096);
  ASSERT_NE(block, nullptr);
  const std::uintptr_t words[] = {0x10'0000, 0x5600'0000'0040, at(block), 0x7fff'ffff'fff8};
  for (std::uintptr_t w : words) fill(w, 8);
  reset_all_shadow();
  for (std::uintptr_t w : words) EXPECT_EQ(words_kept(w, 8), 0) << std::hex << w;
  std::free(block);
}

}  // namespace
}  // namespace goro::race
