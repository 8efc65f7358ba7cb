// Race builds shake the schedule so that races which need an unusual interleaving show up in
// ordinary runs, as Go's race build does (randomizeScheduler in its proc.go). Go's two moves:
//  - a goroutine made ready by this P skips runnext half the time, going to the queue's tail;
//  - when a full local queue spills half of itself to the global queue, the batch is shuffled.
// Go leans on its race build being slow: each instrumented access takes long enough that other Ps
// interleave. goro's race build is several times faster, and on one P a goroutine that never
// blocks runs to completion, so a worker pool draining a buffered channel saw one worker take every
// job (3 workers over 100 jobs: the race on their shared total was found in 1 run of 12, at any
// GOMAXPROCS). So goro adds a third move: before a channel operation (send, receive, select) a
// goroutine yields with probability 1/kShuffleYieldOneIn. A yield creates no happens-before edge,
// so this changes which interleavings are explored, never what is reported about one.
//
// The plain build (GORO_RACE=0) keeps the scheduler's choices as they are: every helper here is a
// constant-false branch the compiler removes.
#pragma once

#include <cstdint>

#include "sched/m.hpp"
#include "sched/seeded.hpp"

namespace goro::sched {

struct G;

#if GORO_RACE
inline constexpr bool kShuffleSchedule = true;
#else
inline constexpr bool kShuffleSchedule = false;
#endif

// 1 in 16, and only when something else is runnable on the P (a yield would hand it straight
// back otherwise). The race build's instructions with all three moves against none (callgrind,
// GOMAXPROCS=1): pingpong +7%, buffered +11%, select +7%, skynet +7%, spawn +1%; most of it is
// the schedule itself changing (more switches, each a clock hand-over), not the coin. 1 in 32 saved
// about 2% and found the worker pool's race in 98 of 100 runs at GOMAXPROCS=2, against 100 of 100.
inline constexpr std::uint64_t kShuffleYieldOneIn = 16;

// True with probability 1/n, from m's generator (race builds only; false in plain builds). Inline:
// every caller's n is a constant power of two, and the draw is then a mask, not the 64-bit division
// an out-of-line call made (pingpong's race build made two a round trip, each tens of cycles on
// the Xeon and EPYC VMs of docs/benchmarks.md).
inline bool shuffle_one_in(M* m, std::uint64_t n) {
  if constexpr (!kShuffleSchedule) return false;
  return m != nullptr && fast_rand(m) % n == 0;
}

// Shuffles gs[0..n) in place with m's generator.
void shuffle_batch(M* m, G** gs, std::uint32_t n);

// Before a channel operation: may yield the running goroutine. In a seeded schedule it is one of
// its scheduling points (seeded.hpp); otherwise race builds only (in the plain build it is one
// load of the seeded flag).
void shuffle_point_race();
// Whether shuffle_point() may do anything: a constant in race builds, one load otherwise.
inline bool shuffle_point_wanted() { return kShuffleSchedule || seeded(); }
inline void shuffle_point() {
  if (seeded()) {
    seeded_step();
  } else if constexpr (kShuffleSchedule) {
    shuffle_point_race();
  }
}

}  // namespace goro::sched
