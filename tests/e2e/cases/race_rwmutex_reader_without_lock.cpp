// The writer holds the write lock, the reader takes no lock at all: nothing orders them. A race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_rwmutex_reader_without_lock\.cpp:32\b
// CHECK: Previous
// CHECK-RE: race_rwmutex_reader_without_lock\.cpp:26\b
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
    goro::RWMutex rw;
    goro::go([&] {
      rw.lock();
      x = 1;  // access 1
      rw.unlock();
      reach(1);
    });
    goro::go([&] {
      await(1);
      use(x);  // access 2
      reach(2);
    });
    await(2);
  });
}
