// An acquire load synchronizes only with a release (or stronger) store: a relaxed store releases
// nothing, so the plain accesses race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_atomic_relaxed_store_acquire_load\.cpp:24\b
// CHECK: Previous
// CHECK-RE: race_atomic_relaxed_store_acquire_load\.cpp:20\b
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
    while (flag.load(std::memory_order_acquire) == 0) goro::yield();
    use(data);  // access 2
  });
}
