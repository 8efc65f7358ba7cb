// RUnlock happens before the next Lock returns (Go memory model): the reader is made to finish
// first (in time only), and the writer's Lock orders its write after the reader's read.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
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
    goro::RWMutex rw;
    goro::go([&] {
      rw.lock_shared();
      use(x);
      rw.unlock_shared();
      reach(1);
    });
    await(1);
    rw.lock();
    x = 1;
    rw.unlock();
  });
}
