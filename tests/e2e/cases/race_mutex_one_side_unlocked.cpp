// A lock only orders the goroutines that take it: the second goroutine writes without locking, so
// its write races with the first goroutine's locked write.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_mutex_one_side_unlocked\.cpp:32\b
// CHECK: Previous
// CHECK-RE: race_mutex_one_side_unlocked\.cpp:26\b
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
    goro::Mutex mu;
    goro::go([&] {
      mu.lock();
      x = 1;  // access 1
      mu.unlock();
      reach(1);
    });
    goro::go([&] {
      await(1);
      x = 2;  // access 2
      reach(2);
    });
    await(2);
  });
}
