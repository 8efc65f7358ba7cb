// Vector clock operations (detector/src/clock.cpp) against an entry-by-entry model: acquire and
// merge work a lane of entries at a time (two with AVX2), so clocks of every width, values near the
// epoch limit and changes in every lane position are compared with the plain definition, with
// SSE2's loops and with AVX2's where the CPU has it.
#include "clock.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace goro::race {
namespace {

using model = std::vector<epoch_t>;  // kSlots entries

// A working clock holding m (entries beyond the last nonzero one are zero, as the type requires).
void load(const model& m, working_clock& w) {
  w.clear();
  for (int i = 0; i < kSlots; ++i) {
    if (m[i] != 0) w.set(i, m[i]);
  }
  w.ndirty = 0;
  w.overflow = false;
  w.base = next_clock_version();  // entries set behind the dirty set's back: no snapshot's id
}

model entries_of(const working_clock& w) {
  model m(w.e, w.e + kSlots);
  for (int i = w.n; i < kSlots; ++i) EXPECT_EQ(m[i], 0) << "entry " << i << " beyond n";
  return m;
}

model entries_of(const sync_clock& s) {
  model m(kSlots, 0);
  for (int i = 0; i < s.n; ++i) m[i] = s.e[i];
  for (int i = s.n; i < s.cap; ++i) EXPECT_EQ(s.e[i], 0) << "entry " << i << " beyond n";
  return m;
}

class ClockTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    clocks_init(/*allow_wide=*/GetParam());
    if (GetParam() && !clocks_wide()) GTEST_SKIP() << "the CPU has no AVX2";
  }
  void TearDown() override { clocks_init(); }

  // A clock of `width` entries, each nonzero with probability `density`.
  model random_clock(int width, double density) {
    model m(kSlots, 0);
    std::uniform_int_distribution<int> epoch(1, kMaxEpoch);
    std::bernoulli_distribution present(density);
    for (int i = 0; i < width; ++i) {
      if (present(rng_)) m[i] = static_cast<epoch_t>(epoch(rng_));
    }
    return m;
  }
  int random_width() { return std::uniform_int_distribution<int>(0, kSlots)(rng_); }
  int random_sid() { return std::uniform_int_distribution<int>(0, kSlots - 1)(rng_); }
  epoch_t random_epoch() {
    return static_cast<epoch_t>(std::uniform_int_distribution<int>(1, kMaxEpoch)(rng_));
  }
  // f = a fresh snapshot of a random clock (none, if the clock came out all zero).
  void random_snapshot(frozen_clock& f, double density) {
    load(random_clock(random_width(), density), w_);
    w_.overflow = true;
    freeze(w_, f);
  }

  std::mt19937 rng_{20261124};
  working_clock w_{};
  working_clock other_{};
};

TEST_P(ClockTest, AcquireRaisesEveryEntryToTheMaximum) {
  for (int round = 0; round < 2000; ++round) {
    const model mine = random_clock(random_width(), 0.5);
    const model theirs = random_clock(random_width(), round % 2 == 0 ? 0.02 : 0.5);
    load(theirs, other_);
    sync_clock s;
    clock_release_store(other_, 0, theirs[0], s, 1);
    load(mine, w_);
    clock_acquire(w_, s, 1);

    model want(kSlots);
    int raised = 0;
    for (int i = 0; i < kSlots; ++i) {
      want[i] = std::max(mine[i], theirs[i]);
      if (theirs[i] > mine[i]) ++raised;
    }
    ASSERT_EQ(entries_of(w_), want) << "round " << round;
    // The dirty set names exactly the raised entries while they fit, else the clock overflowed.
    if (raised <= kExtras) {
      ASSERT_FALSE(w_.overflow);
      ASSERT_EQ(w_.ndirty, raised);
      for (int k = 0; k < w_.ndirty; ++k) EXPECT_GT(theirs[w_.dirty[k]], mine[w_.dirty[k]]);
    } else {
      ASSERT_TRUE(w_.overflow);
    }
    s.release_to_empty();
  }
}

// The dirty set of w names exactly the entries raised from `before` while they fit, else w
// overflowed.
void expect_dirty_set(const working_clock& w, const model& before, const model& after) {
  int raised = 0;
  for (int i = 0; i < kSlots; ++i) raised += after[i] > before[i] ? 1 : 0;
  if (raised > kExtras) {
    EXPECT_TRUE(w.overflow);
    return;
  }
  EXPECT_FALSE(w.overflow);
  EXPECT_EQ(w.ndirty, raised);
  for (int k = 0; k < w.ndirty; ++k) EXPECT_GT(after[w.dirty[k]], before[w.dirty[k]]);
}

TEST_P(ClockTest, ExchangeGivesBothClocksTheirJoin) {
  for (int round = 0; round < 2000; ++round) {
    // Sparse and dense clocks of every width, so either side may be the wider or the newer.
    const model a = random_clock(random_width(), round % 3 == 0 ? 0.02 : 0.5);
    const model b = random_clock(random_width(), round % 3 == 1 ? 0.02 : 0.5);
    load(a, w_);
    load(b, other_);
    clock_exchange(w_, other_);

    model want(kSlots);
    for (int i = 0; i < kSlots; ++i) want[i] = std::max(a[i], b[i]);
    ASSERT_EQ(entries_of(w_), want) << "round " << round;
    ASSERT_EQ(entries_of(other_), want) << "round " << round;
    expect_dirty_set(w_, a, want);
    expect_dirty_set(other_, b, want);
  }
}

// Two clocks of one snapshot, each with its own dirty entries (a child handing a value to the
// creator it was spawned by) join by exchanging those entries alone: the result must be the full
// join on both sides, with the same dirty-set rules.
TEST_P(ClockTest, ExchangeOfClocksSharingASnapshotGivesBothTheirJoin) {
  for (int round = 0; round < 2000; ++round) {
    frozen_clock shared;
    random_snapshot(shared, round % 2 == 0 ? 0.02 : 0.5);
    thaw(shared, w_);
    thaw(shared, other_);
    // Up to kExtras + 1 raises each: dirty sets of every size, sometimes overflowed, sometimes
    // naming the same entries.
    for (working_clock* w : {&w_, &other_}) {
      const int raised = std::uniform_int_distribution<int>(0, kExtras + 1)(rng_);
      for (int k = 0; k < raised; ++k) w->raise(random_sid() % 16, random_epoch());
    }
    const model a = entries_of(w_);
    const model b = entries_of(other_);
    clock_exchange(w_, other_);

    model want(kSlots);
    for (int i = 0; i < kSlots; ++i) want[i] = std::max(a[i], b[i]);
    ASSERT_EQ(entries_of(w_), want) << "round " << round;
    ASSERT_EQ(entries_of(other_), want) << "round " << round;
    frozen_clear(shared);
  }
}

TEST_P(ClockTest, AcquireReleaseEqualsAnAcquireThenAReleaseStore) {
  for (int round = 0; round < 4000; ++round) {
    const model mine = random_clock(random_width(), round % 4 == 0 ? 0.02 : 0.5);
    const model theirs = random_clock(random_width(), round % 4 == 1 ? 0.02 : 0.5);
    const int sid = std::uniform_int_distribution<int>(0, kSlots - 1)(rng_);
    const auto own = static_cast<epoch_t>(std::uniform_int_distribution<int>(1, kMaxEpoch)(rng_));
    // Every fifth round the sync clock belongs to an older generation: nothing to acquire.
    const std::uint32_t gen = round % 5 == 0 ? 1 : 2;
    load(theirs, other_);
    sync_clock fused, stepwise;
    clock_release_store(other_, 0, theirs[0], fused, gen);
    clock_release_store(other_, 0, theirs[0], stepwise, gen);

    load(mine, w_);
    clock_acquire(w_, stepwise, 2);
    clock_release_store(w_, sid, own, stepwise, 2);
    const model want_clock = entries_of(w_);
    const int want_dirty = w_.ndirty;
    const bool want_overflow = w_.overflow;

    load(mine, w_);
    clock_acquire_release(w_, sid, own, fused, 2);
    ASSERT_EQ(entries_of(w_), want_clock) << "round " << round;
    ASSERT_EQ(w_.ndirty, want_dirty) << "round " << round;
    ASSERT_EQ(w_.overflow, want_overflow) << "round " << round;
    ASSERT_EQ(entries_of(fused), entries_of(stepwise)) << "round " << round;
    ASSERT_EQ(fused.n, stepwise.n) << "round " << round;
    ASSERT_EQ(fused.gen, stepwise.gen) << "round " << round;
    fused.release_to_empty();
    stepwise.release_to_empty();
  }
}

TEST_P(ClockTest, AcquireOfAnotherGenerationDoesNothing) {
  load(random_clock(kSlots, 1.0), other_);
  sync_clock s;
  clock_release_store(other_, 0, 1, s, 1);
  const model mine = random_clock(kSlots, 0.1);
  load(mine, w_);
  clock_acquire(w_, s, 2);
  EXPECT_EQ(entries_of(w_), mine);
  EXPECT_EQ(w_.ndirty, 0);
  s.release_to_empty();
}

TEST_P(ClockTest, ReleaseStoreAndMergeAddTheOwnSegment) {
  for (int round = 0; round < 2000; ++round) {
    const model first = random_clock(random_width(), 0.5);
    const model second = random_clock(random_width(), 0.5);
    const int sid = std::uniform_int_distribution<int>(0, kSlots - 1)(rng_);
    const auto own = static_cast<epoch_t>(std::uniform_int_distribution<int>(1, kMaxEpoch)(rng_));
    sync_clock s;
    load(first, w_);
    clock_release_store(w_, sid, own, s, 3);
    model want = first;
    want[sid] = std::max(want[sid], own);
    ASSERT_EQ(entries_of(s), want) << "store, round " << round;

    load(second, w_);
    w_.overflow = true;  // not a snapshot plus a dirty set: the whole clock is merged
    clock_release_merge(w_, nullptr, 7, 5, s, 3);
    for (int i = 0; i < kSlots; ++i) want[i] = std::max(want[i], second[i]);
    want[7] = std::max<epoch_t>(want[7], 5);
    ASSERT_EQ(entries_of(s), want) << "merge, round " << round;

    // A store after a wider clock was there leaves no stale entries behind.
    load(second, w_);
    clock_release_store(w_, 0, 1, s, 3);
    want = second;
    want[0] = std::max<epoch_t>(want[0], 1);
    ASSERT_EQ(entries_of(s), want) << "store over, round " << round;
    s.release_to_empty();
  }
}

TEST_P(ClockTest, FrozenReleaseStoreEqualsReleasingTheThawedClock) {
  for (int round = 0; round < 1000; ++round) {
    load(random_clock(random_width(), 0.5), w_);
    frozen_clock f;
    w_.overflow = true;  // a fresh snapshot
    freeze(w_, f);
    // Up to kExtras entries that differ from the snapshot, as a parked goroutine's clock has.
    const int extras = round % (kExtras + 1);
    for (int k = 0; k < extras; ++k) {
      const int sid = std::uniform_int_distribution<int>(0, kSlots - 1)(rng_);
      frozen_raise(f, sid, kMaxEpoch);
    }
    thaw(f, w_);
    sync_clock from_thawed, from_frozen;
    clock_release_store(w_, 9, 100, from_thawed, 1);
    frozen_release_store(f, 9, 100, from_frozen, 1);
    ASSERT_EQ(entries_of(from_frozen), entries_of(from_thawed)) << "round " << round;
    from_thawed.release_to_empty();
    from_frozen.release_to_empty();
    frozen_clear(f);
  }
}

// Goroutines of one spawning loop share their creator's snapshot and merge into one WaitGroup:
// after the first full merge the sync clock covers the snapshot and later merges take only each
// clock's dirty entries. Every merge must still equal the entry-by-entry maximum, whatever mix of
// snapshots, dirty sets, overflows, stores and generations comes before it.
TEST_P(ClockTest, MergesOfClocksSharingASnapshotEqualFullMerges) {
  for (int round = 0; round < 300; ++round) {
    frozen_clock bases[2];
    for (frozen_clock& f : bases) random_snapshot(f, 0.3);
    sync_clock s;
    model want(kSlots, 0);
    std::uint32_t gen = 1;
    for (int step = 0; step < 40; ++step) {
      const int pick = std::uniform_int_distribution<int>(0, 9)(rng_);
      frozen_clock& f = bases[pick % 2];
      thaw(f, w_);
      const int raised = std::uniform_int_distribution<int>(0, kExtras + 2)(rng_);  // may overflow
      for (int k = 0; k < raised; ++k) {
        w_.raise(random_sid(), random_epoch());
      }
      const int sid = random_sid();
      const epoch_t own = random_epoch();
      const model mine = entries_of(w_);
      if (pick == 8) {  // a store replaces what the clock covered
        clock_release_store(w_, sid, own, s, gen);
        want = mine;
      } else if (pick == 9) {  // a new generation: the old entries count for nothing
        ++gen;
        clock_release_merge(w_, f.snap, sid, own, s, gen);
        want = mine;
      } else {
        clock_release_merge(w_, f.snap, sid, own, s, gen);
        for (int i = 0; i < kSlots; ++i) want[i] = std::max(want[i], mine[i]);
      }
      want[sid] = std::max(want[sid], own);
      ASSERT_EQ(entries_of(s), want) << "round " << round << ", step " << step;
    }
    s.release_to_empty();
    for (frozen_clock& f : bases) {
      // Only the frozen clock holds it again: the sync clock let go of what it covered.
      if (f.snap != nullptr) EXPECT_EQ(f.snap->refs.load(), 1u);
      frozen_clear(f);
    }
  }
}

// A working clock thawed from a snapshot and changed only in its dirty set is thawed again from a
// clock of the same snapshot by putting the dirty entries back. Whatever it held before (the same
// snapshot or another, a dirty set or an overflow, a wider or narrower width), a thaw must leave
// exactly what a thaw into a fresh clock does, dirty set included.
TEST_P(ClockTest, ThawOverAClockOfTheSameSnapshotEqualsAFreshThaw) {
  for (int round = 0; round < 300; ++round) {
    frozen_clock frozen[3];
    for (frozen_clock& f : frozen) random_snapshot(f, 0.3);
    frozen_clear(frozen[2]);  // the all-zero snapshot
    working_clock reused{};
    for (int step = 0; step < 20; ++step) {
      // Clocks of the three snapshots with up to kExtras entries of their own (a child's clock).
      frozen_clock f;
      const frozen_clock& base = frozen[std::uniform_int_distribution<int>(0, 2)(rng_)];
      f.snap = base.snap;
      snapshot_ref(f.snap);
      const int extras = std::uniform_int_distribution<int>(0, kExtras)(rng_);
      for (int k = 0; k < extras; ++k) frozen_raise(f, random_sid(), random_epoch());
      thaw(f, reused);
      thaw(f, other_);
      other_.clear();
      thaw(f, other_);  // from the all-zero clock: the whole width copied
      ASSERT_EQ(entries_of(reused), entries_of(other_)) << "round " << round << ", step " << step;
      ASSERT_EQ(reused.n, other_.n);
      ASSERT_EQ(reused.ndirty, other_.ndirty);
      for (int k = 0; k < reused.ndirty; ++k) ASSERT_EQ(reused.dirty[k], other_.dirty[k]);
      ASSERT_FALSE(reused.overflow);
      // The goroutine runs: raises that stay in the dirty set or overflow it.
      const int raised = std::uniform_int_distribution<int>(0, kExtras + 2)(rng_);
      for (int k = 0; k < raised; ++k) reused.raise(random_sid(), random_epoch());
      frozen_clear(f);
    }
    for (frozen_clock& f : frozen) frozen_clear(f);
  }
}

INSTANTIATE_TEST_SUITE_P(Loops, ClockTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "AVX2" : "SSE2";
                         });

}  // namespace
}  // namespace goro::race
