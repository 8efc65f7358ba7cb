// Unlock orders what came before it: a write after unlock races with the next lock holder's read.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_mutex_write_after_unlock\.cpp:33\b
// CHECK: Previous
// CHECK-RE: race_mutex_write_after_unlock\.cpp:27\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <goro/goro.hpp>

// Orders the accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) goro::yield();
}
void use(long v) { asm volatile("" : : "r"(v)); }  // keeps a read that nothing else uses

int main() {
  return goro::run([] {
    int x = 0;
    goro::Mutex mu;
    goro::go([&] {
      mu.lock();
      mu.unlock();
      x = 1;  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      mu.lock();
      use(x);  // access 2
      mu.unlock();
      reach(2);
    });
    await(2);
  });
}
