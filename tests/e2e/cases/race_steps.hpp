// What the race and no-race cases with goroutines share to stage their accesses: a step counter
// that puts two accesses in a fixed order in time without a happens-before edge between them, and
// use(), which keeps a read the optimiser would otherwise delete. Each case is compiled alone
// (`goro c++ case.cpp`), so these are inline definitions in a header that a case includes as
// "race_steps.hpp"; the harness and CMake take only *.cpp as cases.
//
// Cases that start only std::threads include "race_steps_threads.hpp" instead: the same helpers,
// with await() yielding the thread and no goro header (which such a case does not otherwise need
// and would pay for in compile time). Here await() must call goro::yield(): at GOMAXPROCS=1 a
// thread yield lets no other goroutine run, and the case would spin forever. One header choosing
// its yield by whether goro's headers came first was rejected: they use #pragma once and define
// no guard macro, so it would have to test an unrelated portability macro (GORO_NOINLINE), and
// including it first would silently pick the wrong yield.
//
// Example:
//   goro::go([&] {
//     x = 1;  // access 1
//     reach(1);
//   });
//   await(1);
//   use(x);  // access 2: after access 1, yet unordered with it -> one race
#pragma once

#include <atomic>
#include <goro/runtime.hpp>

// The step the case has reached. Relaxed on purpose, in reach() and await() alike: a relaxed
// store read by a relaxed load creates no happens-before edge, so the order it imposes is one
// the race detector must not take for synchronisation.
inline std::atomic<int> step{0};

// Marks step n as reached.
inline void reach(int n) { step.store(n, std::memory_order_relaxed); }

// Waits until step n is reached, letting the other goroutines run meanwhile.
inline void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) goro::yield();
}

// Keeps a read that nothing else uses: the value must be in a register, so the load stays.
inline void use(long v) { asm volatile("" : : "r"(v)); }
