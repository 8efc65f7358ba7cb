// The per-thread cache of working clocks (context.hpp, cached_clock): a context switched in again
// on the thread that last ran it takes its working clock as it was left, and a copy its frozen
// clock has moved on from (a change made while it was parked, here or on another thread) is never
// taken. Two goroutine contexts are switched by hand on the test goroutine's thread, which gets its
// own context back at the end.
#include <gtest/gtest.h>

#include "clock.hpp"
#include "context.hpp"

namespace goro::race {
namespace {

class ClockCache : public ::testing::Test {
 protected:
  void SetUp() override {
    self_ = current();
    ASSERT_NE(self_, nullptr);
    a_ = started(1'000'001);
    b_ = started(1'000'002);
  }
  void TearDown() override {
    context_switch_in(self_);
    context_end(a_);
    context_end(b_);
  }

  static context* started(std::int64_t goid) {
    context* c = context_new(context_kind::goroutine);
    context_start(c, nullptr, goid, false, 0);
    return c;
  }
  // A slot other than a's own.
  int other_slot() const { return (a_->sid + 1) % kSlots; }

  context* self_ = nullptr;
  context* a_ = nullptr;
  context* b_ = nullptr;
};

TEST_F(ClockCache, AContextBackOnTheSameThreadTakesItsClockAsItLeftIt) {
  context_switch_in(a_);
  const working_clock* left = tls.vc;
  context_switch_in(b_);
  EXPECT_NE(tls.vc, left) << "b runs in another copy; a's stays";
  context_switch_in(a_);
  EXPECT_EQ(tls.vc, left);
}

TEST_F(ClockCache, AChangeToAParkedClockIsSeenWhenTheContextComesBack) {
  context_switch_in(a_);
  context_switch_in(b_);
  // As another thread's hand-off would: a's frozen clock changes, not this thread's copy of it.
  frozen_raise(a_->clk, other_slot(), 1234);
  context_switch_in(a_);
  EXPECT_EQ(tls.vc->e[other_slot()], 1234);
}

TEST_F(ClockCache, AChangeMadeThroughThisThreadsCopyKeepsTheCopyCurrent) {
  context_switch_in(a_);
  const working_clock* left = tls.vc;
  context_switch_in(b_);
  cached_clock* cached = nullptr;
  working_clock& w = open_parked_clock(a_, cached);
  ASSERT_NE(cached, nullptr);
  EXPECT_EQ(&w, left);
  w.raise(other_slot(), 77);
  close_parked_clock(a_, w, cached);
  context_switch_in(a_);
  EXPECT_EQ(tls.vc, left);
  EXPECT_EQ(tls.vc->e[other_slot()], 77);
}

TEST_F(ClockCache, ARestartedContextNeverTakesACopyOfItsEarlierLife) {
  context_switch_in(a_);
  const int slot = other_slot();  // a's next life takes another slot
  tls.vc->raise(slot, 99);
  context_switch_in(b_);
  context_end(a_);
  context_start(a_, nullptr, 1'000'003, false, 0);  // a G reused for a new goroutine
  context_switch_in(a_);
  EXPECT_EQ(tls.vc->e[slot], 0);
}

// The frozen clock's entry for `sid`, thawed into a clock of its own.
epoch_t frozen_entry(const frozen_clock& f, int sid) {
  working_clock& w = scratch_clock();
  thaw(f, w);
  return w.e[sid];
}

TEST_F(ClockCache, ASwitchOutWithNothingNewKeepsTheFrozenClockAndItsVersion) {
  context_switch_in(a_);
  context_switch_in(b_);
  const std::uint64_t version = a_->clk.version;
  context_switch_in(a_);
  context_switch_in(b_);
  EXPECT_EQ(a_->clk.version, version);
}

TEST_F(ClockCache, WhatARunningContextLearnsReachesItsFrozenClock) {
  context_switch_in(a_);
  context_switch_in(b_);
  context_switch_in(a_);
  tls.vc->raise(other_slot(), 55);  // a set
  context_switch_in(b_);
  EXPECT_EQ(frozen_entry(a_->clk, other_slot()), 55);

  sync_clock s;
  s.e = static_cast<epoch_t*>(internal_calloc(sizeof(epoch_t) * kSlots));
  s.n = s.cap = kSlots;
  s.gen = a_->gen;
  s.e[other_slot()] = 66;
  context_switch_in(a_);
  clock_acquire(*tls.vc, s, a_->gen);  // a lane join
  context_switch_in(b_);
  EXPECT_EQ(frozen_entry(a_->clk, other_slot()), 66);
  s.release_to_empty();
}

}  // namespace
}  // namespace goro::race
