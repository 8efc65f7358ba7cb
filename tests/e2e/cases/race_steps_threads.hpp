// race_steps.hpp for the cases that start only std::threads: the same step counter and use(),
// with await() yielding the thread, and no goro header (such a case needs none, and goro's
// headers cost compile time). A case including <goro/goro.hpp> uses race_steps.hpp, whose
// await() calls goro::yield(); see there for why this is a second header and not a test inside
// one.
//
// Example:
//   std::thread writer([] {
//     x = 1;  // access 1
//     reach(1);
//   });
//   await(1);
//   use(x);  // access 2: after access 1, yet unordered with it -> one race
//   writer.join();
#pragma once

#include <atomic>
#include <thread>

// The step the case has reached. Relaxed on purpose, in reach() and await() alike: a relaxed
// store read by a relaxed load creates no happens-before edge, so the order it imposes is one
// the race detector must not take for synchronisation.
inline std::atomic<int> step{0};

// Marks step n as reached.
inline void reach(int n) { step.store(n, std::memory_order_relaxed); }

// Waits until step n is reached, letting the other threads run meanwhile.
inline void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) std::this_thread::yield();
}

// Keeps a read that nothing else uses: the value must be in a register, so the load stays.
inline void use(long v) { asm volatile("" : : "r"(v)); }
