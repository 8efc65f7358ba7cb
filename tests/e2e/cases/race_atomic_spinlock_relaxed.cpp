// The same spin lock with relaxed orders excludes but does not order: the second holder's write
// races with the first holder's.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_atomic_spinlock_relaxed\.cpp:33\b
// CHECK: Previous
// CHECK-RE: race_atomic_spinlock_relaxed\.cpp:26\b
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
