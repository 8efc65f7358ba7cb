// Two after_func functions run in their own goroutines, ordered with nothing but their timers'
// setup (Go's TestRaceAfterFunc3): both write x, a race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_after_func_two_callbacks\.cpp:30\b
// CHECK: Previous
// CHECK-RE: race_after_func_two_callbacks\.cpp:25\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <chrono>
#include <goro/goro.hpp>

// Orders the accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) goro::yield();
}

int main() {
  return goro::run([] {
    int x = 0;
    goro::after_func(std::chrono::milliseconds(1), [&] {
      x = 1;  // access 1
      reach(1);
    });
    goro::after_func(std::chrono::milliseconds(2), [&] {
      await(1);
      x = 2;  // access 2
      reach(2);
    });
    await(2);
  });
}
