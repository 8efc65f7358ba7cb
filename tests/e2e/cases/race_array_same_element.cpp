// The same array element written by two goroutines is a race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_array_same_element\.cpp:28\b
// CHECK: Previous
// CHECK-RE: race_array_same_element\.cpp:23\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <goro/goro.hpp>

// Orders the accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) goro::yield();
}

int main() {
  return goro::run([] {
    int a[8] = {};
    goro::go([&] {
      a[3] = 1;  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      a[3] = 2;  // access 2
      reach(2);
    });
    await(2);
  });
}
