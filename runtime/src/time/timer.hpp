// Runtime timers: per-P 4-ary heaps (as Go: a shallower heap than binary, fewer cache misses on
// sift-down) ordered by expiry, run by the scheduler loop of whichever M looks for work.
//
// A timer lives in at most one heap. Its `owner` and `index` are guarded by that heap's lock; the
// scheduler pops expired timers under the lock and calls `fire` with no lock held, on a scheduler
// stack, passing the `arg` and generation the timer had when it was popped: owners that re-arm or
// stop a timer bump their own generation, so a fire that lost that race can tell it is stale, and
// each arming may carry its own arg (e.g. a reference that keeps the owner alive until it fires).
// Periodic timers re-arm themselves from their fire function.
//
// Deadlock detection counts armed timers (sched.pending_timers): while one is pending, some
// goroutine may still be woken, so "all goroutines are asleep" is not reported (Go's rule).
// A synctest bubble's timers are not counted: its root, parked until the bubble is idle, fires
// them (synctest/bubble.hpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

namespace goro::synctest {
struct bubble;
}

namespace goro::timers {

struct timer;
struct timer_heap;
using fire_fn = void (*)(timer* t, void* arg, std::uint64_t generation, std::int64_t now);

struct timer {
  std::int64_t when = 0;  // monotonic nanoseconds
  std::uint64_t generation = 0;
  fire_fn fire = nullptr;
  void* arg = nullptr;
  // The synctest bubble whose clock the timer runs on, or nullptr for the real clock: set before
  // the first arming, never changed after. A bubble's timers live in its own heap, fired by its
  // root when the bubble's clock reaches them, and are not sched.pending_timers.
  synctest::bubble* bubble = nullptr;
  // The heap holding it. Changed only under that heap's lock; read without it to find the lock.
  std::atomic<timer_heap*> owner{nullptr};
  int index = -1;  // guarded by the owner heap's lock
};

// One P's timers.
struct timer_heap {
  std::mutex lock;
  std::vector<timer*> heap;  // guarded by lock
  // Earliest `when` in the heap, readable without the lock (INT64_MAX when empty). Relaxed reads
  // are hints; decisions are re-checked under the lock.
  std::atomic<std::int64_t> next_when{INT64_MAX};
};

std::int64_t now_ns();
// The `when` of a timer due d nanoseconds after `from`, as Go's when(): a non-positive d is due at
// `from`, and a sum past INT64_MAX saturates there (a timer that never fires) instead of wrapping
// into the past.
std::int64_t saturating_add(std::int64_t from, std::int64_t d);

// Arms t (not armed) to fire at t->when, in its bubble's heap, else in the current P's heap (P 0's
// from a foreign thread).
void add(timer* t);
// Disarms t. True if it was armed (so it will not fire), false if it had already been popped.
bool remove(timer* t);

// Runs every timer of `th` due at `now` (a bubble's heap: synctest's root moves its clock).
// Returns the heap's earliest remaining expiry.
std::int64_t run_due(timer_heap& th, std::int64_t now);

// Scheduler side: runs every timer that has expired on any P. Returns the earliest remaining expiry
// (INT64_MAX if none).
std::int64_t run_expired();
// The earliest armed expiry on any P (INT64_MAX if none), without running anything.
std::int64_t earliest();

}  // namespace goro::timers
