// The same spin lock with relaxed orders excludes but does not order: the second holder's write
// races with the first holder's.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_atomic_spinlock_relaxed\.cpp:28\b
// CHECK: Previous
// CHECK-RE: race_atomic_spinlock_relaxed\.cpp:21\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    std::atomic<bool> locked{false};
    goro::go([&] {
      while (locked.exchange(true, std::memory_order_relaxed)) goro::yield();
      x = 1;  // access 1
      locked.store(false, std::memory_order_relaxed);
      reach(1);
    });
    goro::go([&] {
      await(1);
      while (locked.exchange(true, std::memory_order_relaxed)) goro::yield();
      x = 2;  // access 2
      locked.store(false, std::memory_order_relaxed);
      reach(2);
    });
    await(2);
  });
}
