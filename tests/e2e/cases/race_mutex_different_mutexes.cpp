// Unlock of one mutex does not order a Lock of another: two goroutines writing under different
// goro::Mutexes race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_mutex_different_mutexes\.cpp:33\b
// CHECK: Previous
// CHECK-RE: race_mutex_different_mutexes\.cpp:26\b
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
    goro::Mutex mu1, mu2;
    goro::go([&] {
      mu1.lock();
      x = 1;  // access 1
      mu1.unlock();
      reach(1);
    });
    goro::go([&] {
      await(1);
      mu2.lock();
      x = 2;  // access 2
      mu2.unlock();
      reach(2);
    });
    await(2);
  });
}
