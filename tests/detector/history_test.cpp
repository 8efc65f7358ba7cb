// The access history (detector/src/history.hpp, history.cpp) on its own: events written as the
// hooks write them (calls, returns, segments, accesses, ranges) through a context the test builds,
// replayed by restore_access for a previous access's stack; what a ring keeps as it grows to GORACE
// history_size and wraps; records kept after their goroutine ends until later ones evict them. No
// goroutine is needed: the records and rings need only the detector's start-up (.preinit_array).
#include "history.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <iterator>
#include <random>
#include <thread>
#include <vector>

#include "access.hpp"
#include "context.hpp"
#include "shadow.hpp"

namespace goro::race {
namespace {

using stack = std::vector<std::uintptr_t>;  // innermost first, as restored_stack

constexpr std::int64_t kGoid = 424242;
constexpr std::uintptr_t kAddr = 0x7f00'1234'5670;  // only recorded, never dereferenced
constexpr std::uintptr_t kOuter = 0x40'1100, kInner = 0x40'2200, kPc = 0x40'3300;

// trace_access's kind bits for an access of size bytes.
std::uint32_t access_bits(unsigned size, bool read, bool atomic) {
  return access_kind(make_cell(0, 0, size, read, atomic));
}

class HistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    set_history_size(1);  // the default, whatever GORACE says
    c_.rec = rec_ = record_new(kGoid, false, false, 0);
    c_.stamp = make_stamp(3, 10, 0);
  }
  void TearDown() override {
    internal_free(c_.stack, sizeof(std::uintptr_t) * c_.stack_cap);
    if (!finished_) record_finish(rec_);
  }
  // What __goro_func_enter / __goro_func_exit (access.cpp) and a new segment (slots.cpp) do.
  void enter(std::uintptr_t pc) {
    trace_event(&c_, rec_, ev::make(ev::enter, pc & ev::kPcMask));
    push_frame(&c_, pc);
  }
  void leave() {
    trace_event(&c_, rec_, ev::make(ev::exit, 0));
    if (c_.depth > 0) --c_.depth;
  }
  void segment(std::uint32_t stamp) {
    c_.stamp = stamp;
    trace_event(&c_, rec_, ev::make(ev::time, stamp));
  }
  void write8(std::uintptr_t pc, std::uintptr_t addr) {
    trace_access(&c_, rec_, pc, addr, access_bits(8, false, false));
  }
  // The restored stack of the access to [lo, hi) in segment stamp; empty if none was found.
  stack restore(std::uint32_t stamp, std::uintptr_t lo, std::uintptr_t hi, bool read = false,
                bool atomic = false) {
    restored_stack out;
    if (!restore_access(rec_, stamp, lo, hi, read, atomic, out)) return {};
    return stack(out.pcs, out.pcs + out.n);
  }

  context c_;
  record* rec_ = nullptr;
  bool finished_ = false;  // the test finished rec_ itself
};

// The record of id if it still exists and is goid's.
record* lookup(std::uint32_t id, std::int64_t goid) {
  record* found = nullptr;
  with_record(id, goid, [&](record* r) { found = r; });
  return found;
}

TEST_F(HistoryTest, RestoresTheCallStackOfAnAccessWithoutReturnedFrames) {
  EXPECT_EQ(restore(c_.stamp, kAddr, kAddr + 8), stack{}) << "nothing from an empty history";
  enter(kOuter);
  enter(kInner);
  write8(kPc, kAddr);
  leave();
  enter(0x40'4400);
  write8(kPc + 4, kAddr + 8);
  EXPECT_EQ(restore(c_.stamp, kAddr, kAddr + 8), (stack{kPc, kInner, kOuter}));
  EXPECT_EQ(restore(c_.stamp, kAddr + 8, kAddr + 16), (stack{kPc + 4, 0x40'4400, kOuter}));
}

// A cell keeps a segment's first access to its bytes; a later segment's access is another cell.
TEST_F(HistoryTest, TheFirstMatchingAccessOfTheSegmentIsRestored) {
  const std::uint32_t first = c_.stamp, second = make_stamp(3, 11, 0);
  enter(kOuter);
  write8(kPc, kAddr);
  leave();
  enter(kInner);
  write8(kPc + 8, kAddr);
  segment(second);
  write8(kPc + 16, kAddr);
  EXPECT_EQ(restore(first, kAddr, kAddr + 8), (stack{kPc, kOuter}));
  EXPECT_EQ(restore(second, kAddr, kAddr + 8), (stack{kPc + 16, kInner}));
  EXPECT_EQ(restore(make_stamp(4, 10, 0), kAddr, kAddr + 8), stack{}) << "another slot's segment";
  EXPECT_EQ(restore(make_stamp(3, 10, 1), kAddr, kAddr + 8), stack{}) << "another generation";
}

TEST_F(HistoryTest, OnlyAnAccessOfTheSameKindToTheSameBytesMatches) {
  trace_access(&c_, rec_, kPc, kAddr + 4, access_bits(4, /*read=*/true, /*atomic=*/false));
  const std::uint32_t s = c_.stamp;
  EXPECT_EQ(restore(s, kAddr + 6, kAddr + 7, true), stack{kPc}) << "any byte of it";
  EXPECT_EQ(restore(s, kAddr + 2, kAddr + 5, true), stack{kPc}) << "overlapping bytes";
  EXPECT_EQ(restore(s, kAddr, kAddr + 4, true), stack{}) << "the bytes before it";
  EXPECT_EQ(restore(s, kAddr + 8, kAddr + 9, true), stack{}) << "the byte after it";
  EXPECT_EQ(restore(s, kAddr + 4, kAddr + 8, false), stack{}) << "a write";
  EXPECT_EQ(restore(s, kAddr + 4, kAddr + 8, true, true), stack{}) << "an atomic read";
}

// An access's pc is a 14-bit delta from the previous pc, [-8192, 8191]; others need a pc event.
TEST_F(HistoryTest, PcsAtAndBeyondTheDeltaLimitsRestoreExactly) {
  const std::uintptr_t b = 0x5555'5555'0000;  // steps: +8191, +8192, -8192, -8193, jumps
  const std::uintptr_t pcs[] = {b,         b + 8191,         b + 16383, b + 8191, b - 2,
                                0x40'0000, 0x7fff'ffff'fff0, 0x40'0001, b};
  for (std::size_t i = 0; i < std::size(pcs); ++i) write8(pcs[i], kAddr + 8 * i);
  for (std::size_t i = 0; i < std::size(pcs); ++i) {
    EXPECT_EQ(restore(c_.stamp, kAddr + 8 * i, kAddr + 8 * i + 8), stack{pcs[i]}) << "access " << i;
  }
}

// A range is two events (address, then size), which never straddle a half boundary, where a
// checkpoint goes: fresh records put one at every position around their first two boundaries.
TEST_F(HistoryTest, ARangeIsFoundByAnyOfItsBytesWhereverItFallsInTheRing) {
  enter(kOuter);
  record* const first = rec_;
  for (int fillers = 0; fillers < 40; ++fillers) {
    SCOPED_TRACE(fillers);
    rec_ = c_.rec = record_new(kGoid + 1 + fillers, false, false, 0);
    for (int i = 0; i < fillers; ++i) write8(kPc, kAddr + 512 + 8 * i);
    trace_range(&c_, rec_, kPc, kAddr, 100, /*read=*/false);
    write8(kPc + 12, kAddr + 256);  // its pc delta is from the range's pc
    const std::uint32_t s = c_.stamp;
    EXPECT_EQ(restore(s, kAddr + 64, kAddr + 72), (stack{kPc, kOuter}));
    EXPECT_EQ(restore(s, kAddr + 96, kAddr + 104), (stack{kPc, kOuter})) << "its last bytes";
    EXPECT_EQ(restore(s, kAddr + 100, kAddr + 108), stack{}) << "past its end";
    EXPECT_EQ(restore(s, kAddr, kAddr + 8, true), stack{}) << "a read";
    EXPECT_EQ(restore(s, kAddr, kAddr + 8, false, true), stack{}) << "a range is never atomic";
    EXPECT_EQ(restore(s, kAddr + 256, kAddr + 264), (stack{kPc + 12, kOuter})) << "after it";
    record_finish(rec_);
  }
  rec_ = c_.rec = first;
}

// A range whose every word already holds it (the same bytes read again in the segment) writes no
// event: the first one still restores it. New bytes write one.
TEST_F(HistoryTest, ARangeReadAgainInTheSegmentWritesNoSecondEvent) {
  alignas(16) static char buf[64];  // real memory: the check reads and stores its cells
  const auto at = reinterpret_cast<std::uintptr_t>(buf);
  reset_shadow(at, sizeof buf);
  c_.sid = 3;
  c_.seg_start = 10;
  enter(kOuter);
  access_range(&c_, at + 3, 40, /*read=*/true, kPc);
  const std::uint64_t after_first = rec_->pos.load();
  access_range(&c_, at + 3, 40, /*read=*/true, kPc + 4);
  EXPECT_EQ(rec_->pos.load(), after_first);
  EXPECT_EQ(restore(c_.stamp, at + 16, at + 24, /*read=*/true), (stack{kPc, kOuter}));
  access_range(&c_, at, 48, /*read=*/true, kPc + 8);
  EXPECT_GT(rec_->pos.load(), after_first) << "bytes 0..2 and 43..47 are new";
  reset_shadow(at, sizeof buf);
}

// At most kMaxRestoredFrames: the access and its innermost callers (up to the replay's 256 frames).
TEST_F(HistoryTest, ADeepStackRestoresItsInnermostFrames) {
  stack frames;
  for (int i = 0; i < 200; ++i) {
    frames.push_back(0x50'0000 + 16 * i);
    enter(frames.back());
  }
  write8(kPc, kAddr);
  stack want{kPc};
  want.insert(want.end(), frames.rbegin(), frames.rbegin() + (kMaxRestoredFrames - 1));
  EXPECT_EQ(restore(c_.stamp, kAddr, kAddr + 8), want);
}

// Calls, returns, segments, accesses of every kind and ranges, with pcs near and far apart, over
// many half boundaries (checkpoints) and growths of the ring (each copying the events so far): each
// access restores exactly the stack it was made under.
TEST_F(HistoryTest, EveryAccessRestoresTheStackItWasMadeUnder) {
  struct made {
    std::uint32_t stamp;
    std::uintptr_t addr;
    unsigned size;
    bool read, atomic;
    stack want;
  };
  std::mt19937_64 rng(20261204);
  std::vector<made> log;
  stack frames;  // outermost first
  std::uintptr_t pc = 0x40'0000, addr = kAddr;
  for (int op = 0; op < 5000; ++op) {
    // A jump, or a step that needs a pc event about half the time.
    pc = rng() % 4 == 0 ? 0x40'0000 + rng() % (std::uint64_t{1} << 44) : pc + rng() % 32768 - 16384;
    const unsigned kind = rng() % 10;
    if (kind == 0 && frames.size() < 5) {  // shallow: no checkpoint ever truncates the stack
      frames.push_back(pc);
      enter(pc);
    } else if (kind == 1 && !frames.empty()) {
      frames.pop_back();
      leave();
    } else if (kind == 2) {
      segment(static_cast<std::uint32_t>(rng() & 0xffffff));  // any slot, epoch, generation
    } else {
      const bool range = kind == 3;
      made m{c_.stamp, addr, 0, rng() % 2 == 0, !range && rng() % 4 == 0, {pc}};
      m.size = static_cast<unsigned>(1 + rng() % (range ? 200 : 8));
      m.want.insert(m.want.end(), frames.rbegin(), frames.rend());
      if (range) {
        trace_range(&c_, rec_, pc, addr, m.size, m.read);
      } else {
        trace_access(&c_, rec_, pc, addr, access_bits(m.size, m.read, m.atomic));
      }
      log.push_back(m);
      addr += 256;
    }
  }
  EXPECT_GE(rec_->mask + 1, 8192u) << "the ring grew from " << kInitialEvents << " events";
  for (const made& m : log) {
    ASSERT_EQ(restore(m.stamp, m.addr, m.addr + m.size, m.read, m.atomic), m.want)
        << "access " << (m.addr - kAddr) / 256;
  }
}

// A ring doubles when it is full, not before: a goroutine's first kInitialEvents events fit its
// first ring, and every access stays replayable when the ring is exactly full (a replay reads it
// whole then) and after it grows.
TEST_F(HistoryTest, ARingGrowsWhenFullAndEveryEventReplaysAroundIt) {
  enter(kOuter);  // the checkpoint, the enter, a time and a pc event come first
  int writes = 0;
  while (rec_->pos.load() < kInitialEvents) write8(kPc, kAddr + 8 * writes++);
  EXPECT_EQ(rec_->pos.load(), kInitialEvents) << "one event per write once the pc is set";
  EXPECT_EQ(rec_->mask + 1, kInitialEvents) << "full, and not grown";
  for (int i = 0; i < writes; ++i) {
    EXPECT_EQ(restore(c_.stamp, kAddr + 8 * i, kAddr + 8 * i + 8), (stack{kPc, kOuter})) << i;
  }
  write8(kPc, kAddr + 8 * writes++);
  EXPECT_EQ(rec_->mask + 1, 2 * kInitialEvents) << "grown at the next event";
  for (int i = 0; i < writes; ++i) {
    EXPECT_EQ(restore(c_.stamp, kAddr + 8 * i, kAddr + 8 * i + 8), (stack{kPc, kOuter})) << i;
  }
}

// A checkpoint keeps at most a quarter of a half of the ring (5 frames in a first ring): a replay
// that already holds more of the stack, from the ring's start, keeps it past the checkpoint.
TEST_F(HistoryTest, AReplayKeepsTheDeeperStackPastACheckpoint) {
  constexpr std::uintptr_t kFrames[] = {0x40'1000, 0x40'1100, 0x40'1200, 0x40'1300,
                                        0x40'1400, 0x40'1500, 0x40'1600, 0x40'1700};
  for (std::uintptr_t f : kFrames) enter(f);
  int writes = 0;
  // Past the checkpoint at event 16 (its 5 frames end at event 23), within the first ring.
  while (rec_->pos.load() < kInitialEvents - 4) write8(kPc, kAddr + 8 * writes++);
  ASSERT_EQ(rec_->mask + 1, kInitialEvents);
  stack want{kPc};
  want.insert(want.end(), std::rbegin(kFrames), std::rend(kFrames));
  for (int i = 0; i < writes; ++i) {
    EXPECT_EQ(restore(c_.stamp, kAddr + 8 * i, kAddr + 8 * i + 8), want) << "write " << i;
  }
}

// history_size 0 is 32K events. Past that the oldest accesses are overwritten, the latest half
// of the ring stays replayable, and the stack comes from a checkpoint (the calls' events are gone).
TEST_F(HistoryTest, AFullRingForgetsItsOldestAccessesButNotTheLatestHalf) {
  set_history_size(0);
  enter(kOuter);
  enter(kInner);
  write8(kPc, kAddr);
  constexpr int kWrites = 100000;
  for (int i = 1; i <= kWrites; ++i) write8(kPc + 4, kAddr + 8 * i);
  EXPECT_EQ(rec_->mask + 1, 32768u) << "the ring stops growing at history_size 0";
  EXPECT_EQ(restore(c_.stamp, kAddr, kAddr + 8), stack{}) << "overwritten long ago";
  for (int back : {0, 1000, 16000}) {
    const std::uintptr_t a = kAddr + 8 * (kWrites - back);
    EXPECT_EQ(restore(c_.stamp, a, a + 8), (stack{kPc + 4, kInner, kOuter})) << back << " back";
  }
}

// A report replays a ring while its owner writes on, round a ring at its limit (history_size 0,
// 32768 events), whose owner crosses a boundary where it starts overwriting its oldest half every
// 16384 events: whatever a replay finds is the access it looked for, with its own pc (each access's
// pc is rebuilt from the one before it, so a replay that read a half being overwritten would
// rebuild wrong ones), or nothing when the access is gone.
TEST_F(HistoryTest, AReplayBesideItsWritingOwnerFindsOnlyWhatItWrote) {
  set_history_size(0);
  enter(kOuter);
  const auto pc_of = [](std::uint64_t i) { return kPc + 4 * (i % 4096); };
  std::atomic<std::uint64_t> written{0};
  std::atomic<bool> stop{false};
  std::thread owner([&] {
    for (std::uint64_t i = 0; !stop.load(std::memory_order_relaxed); ++i) {
      write8(pc_of(i), kAddr + 8 * i);
      written.store(i + 1, std::memory_order_release);
    }
  });
  while (written.load(std::memory_order_acquire) < 100'000) {
  }
  // Accesses from the ring's older half, the one being overwritten.
  std::mt19937_64 rng(20261206);
  int found = 0, wrong = 0;
  for (int replay = 0; replay < 3000; ++replay) {
    const std::uint64_t i = written.load(std::memory_order_acquire) - 1 - (12000 + rng() % 20000);
    const stack got = restore(c_.stamp, kAddr + 8 * i, kAddr + 8 * i + 8);
    if (got.empty()) continue;
    ++found;
    if (got != (stack{pc_of(i), kOuter})) ++wrong;
  }
  stop.store(true, std::memory_order_relaxed);
  owner.join();
  EXPECT_GT(found, 0) << "no replay found its access while the owner wrote";
  EXPECT_EQ(wrong, 0) << "of " << found << " replays that found their access";
}

// A ring held at its size wraps; when it may grow again (history_size raised), the events it still
// holds move to the bigger ring in order, the wrapped piece included. Replays start at a half of
// the grown ring (event 32768, where the old ring wrapped), so every access from there on restores.
TEST_F(HistoryTest, ARingThatGrowsAfterWrappingKeepsEveryEventItHeld) {
  set_history_size(0);
  enter(kOuter);
  constexpr int kWrapped = 40000;  // past the 32768 events of history_size 0: the ring wraps
  for (int i = 0; i < kWrapped; ++i) write8(kPc, kAddr + 8 * i);
  ASSERT_EQ(rec_->mask + 1, 32768u);
  set_history_size(1);
  constexpr int kWrites = kWrapped + 20000;  // through the next half boundary, where it grows
  for (int i = kWrapped; i < kWrites; ++i) write8(kPc, kAddr + 8 * i);
  ASSERT_EQ(rec_->mask + 1, 65536u);
  // Writes from just past event 32768 (the enter and the checkpoints came first), densely at
  // first, then a sample.
  for (int i = 32800; i < kWrites; i += i < 33200 ? 1 : 97) {
    const std::uintptr_t a = kAddr + 8 * i;
    ASSERT_EQ(restore(c_.stamp, a, a + 8), (stack{kPc, kOuter})) << "write " << i;
  }
}

// Reports name finished goroutines: a record outlives its goroutine until kMaxFinished later ones
// finish (docs/design/detector.md); each thread hands its finished records over kRecordBatch at a
// time, so the eviction comes within that many more. Its id is then reused, and with_record tells
// the new goroutine from the old one by goroutine id.
TEST_F(HistoryTest, AFinishedRecordIsKeptUntilKMaxFinishedLaterOnesFinish) {
  write8(kPc, kAddr);
  const std::uint32_t id = rec_->id, s = c_.stamp;
  record_finish(rec_);
  finished_ = true;
  ASSERT_EQ(lookup(id, kGoid), rec_);
  EXPECT_TRUE(rec_->finished.load());
  EXPECT_EQ(restore(s, kAddr, kAddr + 8), stack{kPc}) << "a finished goroutine's history is kept";
  std::int64_t goid = 1'000'000;
  for (std::uint32_t i = 0; i + 1 < kMaxFinished; ++i)
    record_finish(record_new(goid++, false, false, 0));
  EXPECT_EQ(lookup(id, kGoid), rec_) << "kept while kMaxFinished - 1 later ones finished";
  for (std::uint32_t i = 0; i < kRecordBatch + 1; ++i)
    record_finish(record_new(goid++, false, false, 0));
  EXPECT_EQ(lookup(id, kGoid), nullptr) << "evicted after kMaxFinished + kRecordBatch";
  // The free ids are taken before new ones are made: holding records until the id comes back
  // drains them.
  std::vector<record*> held;
  while (held.size() < (std::size_t{1} << 20) && (held.empty() || held.back()->id != id)) {
    held.push_back(record_new(goid++, false, false, 0));
  }
  ASSERT_EQ(held.back()->id, id) << "the evicted record's id is free again";
  EXPECT_EQ(lookup(id, kGoid), nullptr) << "the reused id names another goroutine";
  EXPECT_EQ(lookup(id, held.back()->goid), held.back());
  EXPECT_EQ(lookup(0, held.back()->goid), nullptr) << "0 means no record";
  EXPECT_EQ(lookup(0xffff'fff0u, 3'000'000), nullptr) << "an id never given";
  for (record* r : held) record_finish(r);
}

// The finished records wait in a ring of 2048 pointers (history.cpp), which a long program wraps
// many times: after some ten thousand evictions a record is still kept exactly as long as above.
TEST_F(HistoryTest, AFinishedRecordIsKeptAsLongAfterTenThousandEvictions) {
  std::int64_t goid = 4'000'000;
  for (std::uint32_t i = 0; i < 5 * 2048 + 7; ++i)
    record_finish(record_new(goid++, false, false, 0));
  write8(kPc, kAddr);
  const std::uint32_t id = rec_->id, s = c_.stamp;
  record_finish(rec_);
  finished_ = true;
  for (std::uint32_t i = 0; i + 1 < kMaxFinished; ++i)
    record_finish(record_new(goid++, false, false, 0));
  EXPECT_EQ(lookup(id, kGoid), rec_) << "kept while kMaxFinished - 1 later ones finished";
  EXPECT_EQ(restore(s, kAddr, kAddr + 8), stack{kPc});
  for (std::uint32_t i = 0; i < kRecordBatch + 1; ++i)
    record_finish(record_new(goid++, false, false, 0));
  EXPECT_EQ(lookup(id, kGoid), nullptr) << "evicted after kMaxFinished + kRecordBatch";
}

// An evicted record goes back to record_new with its first ring: the goroutine that gets it replays
// its own events only, never those the ring held before, even under the same stamp.
TEST_F(HistoryTest, ARecycledRecordReplaysOnlyItsOwnEvents) {
  enter(kOuter);
  write8(kPc, kAddr);
  record* const old = rec_;
  record_finish(rec_);
  finished_ = true;
  std::int64_t goid = 2'000'000;
  record* reused = nullptr;
  for (std::uint32_t i = 0; i < 2 * (kMaxFinished + 2 * kRecordBatch) && reused == nullptr; ++i) {
    record* r = record_new(goid++, false, false, 0);
    if (r == old) {
      reused = r;
    } else {
      record_finish(r);
    }
  }
  ASSERT_NE(reused, nullptr) << "the evicted record came back";
  c_.rec = rec_ = reused;
  finished_ = false;
  c_.depth = 0;
  EXPECT_EQ(restore(c_.stamp, kAddr, kAddr + 8), stack{}) << "nothing written yet";
  write8(kPc + 8, kAddr + 64);
  // The new life's first checkpoint (marker, time, pc) starts from the last life's pc, which the
  // access is 8 bytes past: it takes one event, with no pc event before it.
  EXPECT_EQ(rec_->pos.load(std::memory_order_relaxed), 4u);
  EXPECT_EQ(restore(c_.stamp, kAddr, kAddr + 8), stack{}) << "the ring's earlier event";
  EXPECT_EQ(restore(c_.stamp, kAddr + 64, kAddr + 72), stack{kPc + 8});
}

}  // namespace
}  // namespace goro::race
