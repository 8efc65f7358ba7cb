// Relaxed atomics create no edge: the flag is seen, but the plain write before the relaxed store is
// not ordered before the plain read after the relaxed load. A race on data (never on flag).
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_atomic_relaxed_no_edge\.cpp:25\b
// CHECK: Previous
// CHECK-RE: race_atomic_relaxed_no_edge\.cpp:21\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int data = 0;
    std::atomic<int> flag{0};
    goro::go([&] {
      data = 1;  // access 1
      flag.store(1, std::memory_order_relaxed);
    });
    while (flag.load(std::memory_order_relaxed) == 0) goro::yield();
    use(data);  // access 2
  });
}
