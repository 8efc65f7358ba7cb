// A global written by two goroutines without synchronisation: a race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_global_int\.cpp:29\b
// CHECK: Previous
// CHECK-RE: race_global_int\.cpp:24\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <goro/goro.hpp>

// Orders the accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) goro::yield();
}

int g_counter;

int main() {
  return goro::run([] {
    goro::go([] {
      g_counter = 1;  // access 1
      reach(1);
    });
    goro::go([] {
      await(1);
      g_counter = 2;  // access 2
      reach(2);
    });
    await(2);
  });
}
