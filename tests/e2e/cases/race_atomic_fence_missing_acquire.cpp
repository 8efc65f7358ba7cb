// A release fence needs an acquire fence (or acquire load) on the reading side: with only a relaxed
// load after it, the plain accesses race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_atomic_fence_missing_acquire\.cpp:25\b
// CHECK: Previous
// CHECK-RE: race_atomic_fence_missing_acquire\.cpp:20\b
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
      std::atomic_thread_fence(std::memory_order_release);
      flag.store(1, std::memory_order_relaxed);
    });
    while (flag.load(std::memory_order_relaxed) == 0) goro::yield();
    use(data);  // access 2
  });
}
