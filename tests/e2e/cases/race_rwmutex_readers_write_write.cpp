// Two goroutines both writing under the read lock: read locks do not exclude or order each other,
// so the writes race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_rwmutex_readers_write_write\.cpp:33\b
// CHECK: Previous
// CHECK-RE: race_rwmutex_readers_write_write\.cpp:27\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <goro/goro.hpp>
#include <shared_mutex>

// Orders the accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) goro::yield();
}

int main() {
  return goro::run([] {
    int x = 0;
    goro::RWMutex rw;
    goro::go([&] {
      std::shared_lock lock(rw);
      x = 1;  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      std::shared_lock lock(rw);
      x = 2;  // access 2
      reach(2);
    });
    await(2);
  });
}
