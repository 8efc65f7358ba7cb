// Shadow memory (detector/src/shadow.hpp, shadow.cpp) on its own: the cell encoding round-trips
// every field, the address mapping gives each 8-byte word its own four cells and keeps the three
// application ranges apart, resetting a range forgets exactly its cells (a goroutine's end only
// those of pages a cell was stored for), and a heap window's shadow is populated when its first
// block is allocated. The detector maps its shadow at process start,
// so the mapped regions can be read and written directly.
#include "shadow.hpp"

#include <gtest/gtest.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <set>
#include <vector>

namespace goro::race {
namespace {

TEST(Shadow, CellFieldsRoundTrip) {
  for (int sid : {0, 1, 77, 255}) {
    for (epoch_t epoch : {epoch_t{1}, epoch_t{2}, epoch_t{9000}, kMaxEpoch}) {
      for (std::uint32_t gen = 0; gen < 4; ++gen) {
        const std::uint32_t stamp = make_stamp(sid, epoch, gen);
        for (unsigned offset = 0; offset < 8; ++offset) {
          for (unsigned size = 1; offset + size <= 8; ++size) {
            for (int kind = 0; kind < 4; ++kind) {
              const bool read = (kind & 1) != 0;
              const bool atomic = (kind & 2) != 0;
              const raw_cell c = make_cell(stamp, offset, size, read, atomic);
              ASSERT_EQ(cell_sid(c), sid);
              ASSERT_EQ(cell_epoch(c), epoch);
              ASSERT_EQ(cell_gen(c), gen);
              ASSERT_EQ(cell_offset(c), offset);
              ASSERT_EQ(cell_size(c), size);
              ASSERT_EQ(cell_read(c), read);
              ASSERT_EQ(cell_atomic(c), atomic);
              ASSERT_NE(c, 0u) << "a real access is never the empty cell";
            }
          }
        }
      }
    }
  }
}

TEST(Shadow, AStampKeepsOnlyTheGenerationsLowBits) {
  EXPECT_EQ(cell_gen(make_stamp(3, 5, 6)), 2u);
  EXPECT_EQ(make_stamp(3, 5, 6), make_stamp(3, 5, 2));
}

TEST(Shadow, ACellsMaskIsTheBytesItCovers) {
  const std::uint32_t stamp = make_stamp(1, 1, 0);
  EXPECT_EQ(cell_mask(make_cell(stamp, 0, 8, false, false)), 0xffu);
  EXPECT_EQ(cell_mask(make_cell(stamp, 0, 1, true, false)), 0x01u);
  EXPECT_EQ(cell_mask(make_cell(stamp, 7, 1, true, false)), 0x80u);
  EXPECT_EQ(cell_mask(make_cell(stamp, 2, 4, false, true)), 0x3cu);
}

TEST(Shadow, EachWordHasItsOwnFourCells) {
  const std::uintptr_t word = 0x7f12'3456'7800;
  for (std::uintptr_t b = 0; b < 8; ++b) EXPECT_EQ(shadow_of(word + b), shadow_of(word));
  EXPECT_EQ(shadow_of(word + 8), shadow_of(word) + kCellsPerWord);
  EXPECT_EQ(shadow_of(word - 8), shadow_of(word) - kCellsPerWord);
  EXPECT_EQ(meta_of(word + 8), meta_of(word) + 1);
  EXPECT_EQ(meta_of(word + 7), meta_of(word));
}

TEST(Shadow, TheApplicationRangesMapApart) {
  // The same offset in the low binaries, the PIE range and the mmap area.
  const std::uintptr_t low = 0x0000'0040'1000;
  const std::uintptr_t pie = 0x5600'0040'1000;
  const std::uintptr_t mmap_area = 0x7f00'0040'1000;
  const std::set<raw_cell*> cells = {shadow_of(low), shadow_of(pie), shadow_of(mmap_area)};
  EXPECT_EQ(cells.size(), 3u);
  for (std::uintptr_t addr : {low, pie, mmap_area}) {
    const auto at = reinterpret_cast<std::uintptr_t>(shadow_of(addr));
    EXPECT_GE(at, kShadowBase);
    EXPECT_LT(at, kShadowBase + kShadowSize);
    const auto meta = reinterpret_cast<std::uintptr_t>(meta_of(addr));
    EXPECT_GE(meta, kMetaBase);
    EXPECT_LT(meta, kMetaBase + kMetaSize);
  }
}

TEST(Shadow, SummaryBytesCover64KiB) {
  const std::uintptr_t chunk = 0x7f00'0001'0000;
  EXPECT_EQ(summary_of(chunk), summary_of(chunk + 0xffff));
  EXPECT_EQ(summary_of(chunk + 0x10000), summary_of(chunk) + 1);
}

// Fills the cells of [addr, addr+size) with a recognisable access.
void stamp_range(std::uintptr_t addr, std::size_t size) {
  const raw_cell c = make_cell(make_stamp(9, 3, 0), 0, 8, false, false);
  for (std::uintptr_t a = addr; a < addr + size; a += 8) {
    for (int i = 0; i < kCellsPerWord; ++i) shadow_of(a)[i] = c;
  }
}

bool range_clear(std::uintptr_t addr, std::size_t size) {
  for (std::uintptr_t a = addr; a < addr + size; a += 8) {
    for (int i = 0; i < kCellsPerWord; ++i) {
      if (shadow_of(a)[i] != 0) return false;
    }
  }
  return true;
}

// Small ranges are zeroed, large ones have their shadow pages given back: both read as empty, and
// the words on either side keep their cells.
TEST(Shadow, ResetForgetsExactlyTheRange) {
  // 8, 24 and 72 bytes end in a part of a group of four words; 4096 is whole groups.
  for (std::size_t size : {std::size_t{8}, std::size_t{24}, std::size_t{72}, std::size_t{4096},
                           std::size_t{1} << 20}) {
    void* block = std::aligned_alloc(4096, size + 8192);
    ASSERT_NE(block, nullptr);
    const auto base = reinterpret_cast<std::uintptr_t>(block) + 4096;
    stamp_range(base - 8, size + 16);
    reset_shadow(base, size);
    EXPECT_TRUE(range_clear(base, size)) << size << " bytes";
    EXPECT_FALSE(range_clear(base - 8, 8)) << "the word before, " << size << " bytes";
    EXPECT_FALSE(range_clear(base + size, 8)) << "the word after, " << size << " bytes";
    reset_shadow(base - 8, size + 16);
    std::free(block);
  }
}

// A small reset skips the words that are clear and clears the one that is not, wherever it sits.
TEST(Shadow, ResetClearsAStrayWordInACleanRange) {
  constexpr std::size_t kSize = 1024;
  void* block = std::aligned_alloc(4096, kSize);
  ASSERT_NE(block, nullptr);
  const auto base = reinterpret_cast<std::uintptr_t>(block);
  for (std::size_t at : {std::size_t{0}, std::size_t{8}, std::size_t{512}, kSize - 8}) {
    stamp_range(base + at, 8);
    reset_shadow(base, kSize);
    EXPECT_TRUE(range_clear(base, kSize)) << "a word at " << at;
  }
  std::free(block);
}

// reset_stored_shadow (a goroutine's end) reads only the pages marked by note_cell_stored. The
// cells here are written by hand, without the mark every real store makes first, to show which
// pages were skipped.
namespace stored {

constexpr std::uintptr_t kPage = 4096;

// Three fresh pages of application memory with their marks clear (a mapping earlier at the same
// place had its marks cleared by munmap's reset).
std::uintptr_t fresh_pages() {
  void* p = mmap(nullptr, 3 * kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  EXPECT_NE(p, MAP_FAILED);
  const auto base = reinterpret_cast<std::uintptr_t>(p);
  for (std::uintptr_t page = base; page < base + 3 * kPage; page += kPage) {
    EXPECT_EQ(*stored_mark_of(page), 0);
  }
  return base;
}

TEST(ShadowStoreMarks, AResetReadsOnlyThePagesACellWasStoredFor) {
  const std::uintptr_t base = fresh_pages();
  const std::uintptr_t lo = base + 512, hi = base + 2 * kPage + 512;
  stamp_range(lo, hi - lo);
  note_cell_stored(base + kPage + 64);  // the middle page only
  reset_stored_shadow(lo, hi - lo);
  EXPECT_TRUE(range_clear(base + kPage, kPage)) << "the marked page is forgotten";
  EXPECT_FALSE(range_clear(lo, base + kPage - lo)) << "an unmarked page is not read";
  EXPECT_FALSE(range_clear(base + 2 * kPage, 512));
  EXPECT_EQ(*stored_mark_of(base + kPage), 0) << "a page reset whole is clean";
  note_cell_stored(base);
  note_cell_stored(base + 2 * kPage);
  reset_stored_shadow(lo, hi - lo);
  EXPECT_TRUE(range_clear(lo, hi - lo)) << "runs of marked pages, however they are split";
  EXPECT_EQ(*stored_mark_of(base), 1) << "a page reset in part keeps its mark";
  EXPECT_EQ(*stored_mark_of(base + 2 * kPage), 1);
  munmap(reinterpret_cast<void*>(base), 3 * kPage);
}

// A closure's 64 bytes in a page of other closures, a stack's used part at the top of its page:
// what else the page holds is not known, so its mark stays for the next reset there.
TEST(ShadowStoreMarks, OnlyAResetOfAWholePageClearsItsMark) {
  const std::uintptr_t base = fresh_pages();
  for (std::uintptr_t page = base; page < base + 3 * kPage; page += kPage) note_cell_stored(page);
  stamp_range(base, 3 * kPage);
  reset_stored_shadow(base + 128, 64);
  EXPECT_TRUE(range_clear(base + 128, 64));
  EXPECT_FALSE(range_clear(base + 192, 8)) << "the neighbour keeps its cells";
  reset_stored_shadow(base + 128, 64);
  reset_shadow(base + 8, 64);
  EXPECT_EQ(*stored_mark_of(base), 1);
  stamp_range(base + 128, 64);
  reset_stored_shadow(base + 64, 128);
  EXPECT_TRUE(range_clear(base + 128, 64)) << "cells stored again are forgotten again";
  reset_shadow(base + kPage, 2 * kPage - 8);
  EXPECT_EQ(*stored_mark_of(base + kPage), 0) << "a page covered whole is clean";
  EXPECT_EQ(*stored_mark_of(base + 2 * kPage), 1) << "a page covered in part may not be";
  munmap(reinterpret_cast<void*>(base), 3 * kPage);
}

TEST(ShadowStoreMarks, AGlobalResetClearsTheMarks) {
  const std::uintptr_t base = fresh_pages();
  note_cell_stored(base);
  ASSERT_EQ(*stored_mark_of(base), 1);
  reset_all_shadow();
  EXPECT_EQ(*stored_mark_of(base), 0);
  munmap(reinterpret_cast<void*>(base), 3 * kPage);
}

}  // namespace stored

namespace populated {

constexpr std::uintptr_t kPage = 4096;
constexpr std::uintptr_t kWindow = std::uintptr_t{1} << kWindowShift;

// Whether every page of [p, p+bytes) is resident.
bool resident(const void* p, std::size_t bytes) {
  const auto lo = reinterpret_cast<std::uintptr_t>(p) & ~(kPage - 1);
  const std::size_t pages = (reinterpret_cast<std::uintptr_t>(p) + bytes - lo + kPage - 1) / kPage;
  std::vector<unsigned char> in(pages);
  if (mincore(reinterpret_cast<void*>(lo), pages * kPage, in.data()) != 0) return false;
  for (unsigned char c : in) {
    if ((c & 1) == 0) return false;
  }
  return true;
}

// A fresh 64 KiB window of application memory (mapped, never touched, shadow never populated).
std::uintptr_t fresh_window() {
  void* p = mmap(nullptr, 2 * kWindow, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  EXPECT_NE(p, MAP_FAILED);
  return (reinterpret_cast<std::uintptr_t>(p) + kWindow - 1) & ~(kWindow - 1);
}

bool kernel_populates() {
  void* p = mmap(nullptr, kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  const bool ok = madvise(p, kPage, 23 /* MADV_POPULATE_WRITE */) == 0;
  munmap(p, kPage);
  return ok;
}

TEST(ShadowWindows, AFirstBlockPopulatesItsWindowsShadowOnce) {
  if (!kernel_populates()) GTEST_SKIP() << "the kernel has no MADV_POPULATE_WRITE (Linux < 5.14)";
  const std::uintptr_t w = fresh_window();
  ASSERT_FALSE(resident(shadow_of(w), 2 * kWindow));
  prepare_shadow(w + 1000, 48);
  EXPECT_NE(*window_of(w), 0);
  EXPECT_TRUE(resident(shadow_of(w), 2 * kWindow)) << "the whole window's shadow, 128 KiB";
  EXPECT_FALSE(resident(shadow_of(w + kWindow), kPage)) << "and not the next window's";
}

TEST(ShadowWindows, ABlockAcrossTwoWindowsPopulatesBoth) {
  if (!kernel_populates()) GTEST_SKIP() << "the kernel has no MADV_POPULATE_WRITE (Linux < 5.14)";
  const std::uintptr_t w = fresh_window();
  prepare_shadow(w - 16, 64);
  EXPECT_TRUE(resident(shadow_of(w - 16), 32));
  EXPECT_TRUE(resident(shadow_of(w), 2 * kWindow));
}

TEST(ShadowWindows, AResetThatGivesPagesBackMakesTheWindowPopulateAgain) {
  if (!kernel_populates()) GTEST_SKIP() << "the kernel has no MADV_POPULATE_WRITE (Linux < 5.14)";
  const std::uintptr_t w = fresh_window();
  prepare_shadow(w, 8);
  reset_shadow(w, kWindow);  // 128 KiB of shadow: given back to the kernel
  EXPECT_EQ(*window_of(w), 0);
  EXPECT_FALSE(resident(shadow_of(w) + kPage, kPage));
  prepare_shadow(w, 8);
  EXPECT_TRUE(resident(shadow_of(w), 2 * kWindow));
}

TEST(ShadowWindows, MallocPopulatesTheShadowOfTheBlocksItHandsOut) {
  if (!kernel_populates()) GTEST_SKIP() << "the kernel has no MADV_POPULATE_WRITE (Linux < 5.14)";
  for (std::size_t size : {std::size_t{1}, std::size_t{100}, std::size_t{4000}, kWindow}) {
    void* block = std::malloc(size);
    EXPECT_TRUE(resident(shadow_of(reinterpret_cast<std::uintptr_t>(block)), 2 * size)) << size;
    std::free(block);
  }
}

}  // namespace populated

}  // namespace
}  // namespace goro::race
