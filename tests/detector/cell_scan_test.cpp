// The vector sorting of a shadow word's cells (detector/src/cell_scan.hpp) against the race check's
// rules written out cell by cell: a million random words built from the values that matter (the
// running slot and its neighbours, epochs around the segment's start, the dead-variable epoch 0,
// both generations, every byte piece and kind, empty cells), then a few words chosen by hand.
#include "cell_scan.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>

namespace goro::race {
namespace {

// The rules of access.hpp, one cell at a time.
cell_classes reference_classes(const raw_cell (&cells)[kCellsPerWord], raw_cell cur, int sid,
                               epoch_t seg_start) {
  cell_classes want;
  const bool read = cell_read(cur);
  const bool atomic = cell_atomic(cur);
  for (int i = 0; i < kCellsPerWord; ++i) {
    const raw_cell old = cells[i];
    const unsigned bit = 1u << i;
    if (old == 0 || cell_gen(old) != cell_gen(cur)) {
      want.free |= bit;
      continue;
    }
    if ((cell_mask(old) & cell_mask(cur)) == 0) continue;
    const bool at_least_as_strong = (!read || cell_read(old)) && (!atomic || cell_atomic(old));
    if (cell_sid(old) == sid && cell_epoch(old) >= seg_start) {
      if (cell_offset(old) == cell_offset(cur) && cell_size(old) == cell_size(cur) &&
          at_least_as_strong) {
        want.own |= bit;
      }
      continue;
    }
    if ((read && cell_read(old)) || (atomic && cell_atomic(old))) continue;
    want.suspect |= bit;
    if ((cell_mask(old) & ~cell_mask(cur)) == 0 && at_least_as_strong) want.covering |= bit;
  }
  return want;
}

bool reference_holds(const raw_cell (&cells)[kCellsPerWord], raw_cell cur) {
  for (raw_cell old : cells) {
    if (old == cur || old == (cur & ~kReadBit)) return true;
  }
  return false;
}

struct word_maker {
  std::mt19937_64 rng{20261206};
  int sid = 7;
  epoch_t seg_start = 100;

  unsigned pick(unsigned n) { return static_cast<unsigned>(rng() % n); }

  raw_cell access(bool allow_empty) {
    if (allow_empty && pick(5) == 0) return 0;
    const int sids[] = {sid, sid, sid - 1, sid + 1, 0, 255};
    const epoch_t epochs[] = {0, 1, 99, 100, 101, 5000, kMaxEpoch};
    const unsigned offset = pick(8);
    const unsigned size = 1 + pick(8 - offset);
    return make_cell(make_stamp(sids[pick(6)], epochs[pick(7)], pick(2)), offset, size,
                     pick(2) != 0, pick(2) != 0);
  }
};

::testing::AssertionResult same_classes(const cell_classes& got, const cell_classes& want) {
  if (got.free == want.free && got.own == want.own && got.suspect == want.suspect &&
      got.covering == want.covering) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "free " << got.free << "/" << want.free << " own " << got.own << "/" << want.own
         << " suspect " << got.suspect << "/" << want.suspect << " covering " << got.covering << "/"
         << want.covering << " (got/want)";
}

cell_classes classify(const raw_cell (&cells)[kCellsPerWord], raw_cell cur, int sid,
                      epoch_t seg_start) {
  alignas(16) raw_cell word[kCellsPerWord] = {cells[0], cells[1], cells[2], cells[3]};
  raw_cell seen[kCellsPerWord];
  const cell_classes got = classify_cells(load_cells(word), cur, sid, seg_start, seen);
  for (int i = 0; i < kCellsPerWord; ++i) EXPECT_EQ(seen[i], cells[i]);
  return got;
}

TEST(CellScan, RandomWordsSortAsTheCellByCellRules) {
  word_maker make;
  for (int n = 0; n < 1'000'000; ++n) {
    const raw_cell cells[kCellsPerWord] = {make.access(true), make.access(true), make.access(true),
                                           make.access(true)};
    const raw_cell cur = make.access(false);
    const cell_classes got = classify(cells, cur, make.sid, make.seg_start);
    ASSERT_TRUE(same_classes(got, reference_classes(cells, cur, make.sid, make.seg_start)))
        << std::hex << "cells " << cells[0] << " " << cells[1] << " " << cells[2] << " " << cells[3]
        << " access " << cur;
    alignas(16) const raw_cell word[kCellsPerWord] = {cells[0], cells[1], cells[2], cells[3]};
    ASSERT_EQ(holds_access(load_cells(word), cur), reference_holds(cells, cur));
    ASSERT_EQ(cells_empty(load_cells(word)), (cells[0] | cells[1] | cells[2] | cells[3]) == 0);
  }
}

TEST(CellScan, AnEarlierWriteByAnotherSlotIsASuspectTheAccessCovers) {
  const raw_cell write = make_cell(make_stamp(3, 40, 1), 0, 8, false, false);
  const raw_cell cur = make_cell(make_stamp(7, 120, 1), 0, 8, false, false);
  const raw_cell cells[kCellsPerWord] = {write, 0, 0, 0};
  const cell_classes got = classify(cells, cur, 7, 100);
  EXPECT_EQ(got.suspect, 1u);
  EXPECT_EQ(got.covering, 1u);
  EXPECT_EQ(got.free, 0xeu);
  EXPECT_EQ(got.own, 0u);
}

TEST(CellScan, AReadDoesNotReplaceTheSegmentsOwnWriteButAWriteReplacesItsRead) {
  const raw_cell own_write = make_cell(make_stamp(7, 100, 0), 2, 4, false, false);
  const raw_cell own_read = make_cell(make_stamp(7, 101, 0), 2, 4, true, false);
  const raw_cell read_now = make_cell(make_stamp(7, 102, 0), 2, 4, true, false);
  const raw_cell write_now = make_cell(make_stamp(7, 102, 0), 2, 4, false, false);
  const raw_cell cells[kCellsPerWord] = {own_write, own_read, 0, 0};
  EXPECT_EQ(classify(cells, read_now, 7, 100).own, 2u);
  EXPECT_EQ(classify(cells, write_now, 7, 100).own, 3u);
  EXPECT_EQ(classify(cells, write_now, 7, 100).suspect, 0u);
}

TEST(CellScan, ReadsOfOtherSlotsAndDisjointBytesAreNoSuspects) {
  const raw_cell their_read = make_cell(make_stamp(3, 40, 0), 0, 4, true, false);
  const raw_cell their_write_elsewhere = make_cell(make_stamp(4, 40, 0), 4, 4, false, false);
  const raw_cell cur = make_cell(make_stamp(7, 120, 0), 0, 4, true, false);
  const raw_cell cells[kCellsPerWord] = {their_read, their_write_elsewhere, 0, 0};
  const cell_classes got = classify(cells, cur, 7, 100);
  EXPECT_EQ(got.suspect, 0u);
  EXPECT_EQ(got.free, 0xcu);
}

TEST(CellScan, AnOlderSegmentOfTheSameSlotIsAnotherAccessor) {
  const raw_cell before = make_cell(make_stamp(7, 99, 0), 0, 8, false, false);
  const raw_cell cur = make_cell(make_stamp(7, 120, 0), 0, 8, false, false);
  const raw_cell cells[kCellsPerWord] = {before, 0, 0, 0};
  EXPECT_EQ(classify(cells, cur, 7, 100).suspect, 1u);
  EXPECT_EQ(classify(cells, cur, 7, 99).own, 1u);
}

TEST(CellScan, CellsOfAnotherGenerationAreFree) {
  const raw_cell stale = make_cell(make_stamp(3, 40, 2), 0, 8, false, false);
  const raw_cell cur = make_cell(make_stamp(7, 120, 1), 0, 8, false, false);
  const raw_cell cells[kCellsPerWord] = {stale, stale, stale, stale};
  const cell_classes got = classify(cells, cur, 7, 100);
  EXPECT_EQ(got.free, 0xfu);
  EXPECT_EQ(got.suspect, 0u);
}

TEST(CellScan, TheAccessIsHeldByItselfOrForAReadBySameBytesWrite) {
  const raw_cell write = make_cell(make_stamp(7, 120, 0), 0, 8, false, false);
  const raw_cell read = make_cell(make_stamp(7, 120, 0), 0, 8, true, false);
  alignas(16) raw_cell word[kCellsPerWord] = {0, 0, write, 0};
  EXPECT_TRUE(holds_access(load_cells(word), read));
  EXPECT_TRUE(holds_access(load_cells(word), write));
  word[2] = read;
  EXPECT_FALSE(holds_access(load_cells(word), write));
}

}  // namespace
}  // namespace goro::race
