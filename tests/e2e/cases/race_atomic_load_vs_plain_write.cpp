// An atomic (relaxed) load of an int that another goroutine wrote with a plain store is a data race
// too: the plain write is not atomic.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_atomic_load_vs_plain_write\.cpp:30\b
// CHECK: Previous
// CHECK-RE: race_atomic_load_vs_plain_write\.cpp:25\b
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
    goro::go([&] {
      x = 1;  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      use(std::atomic_ref<int>(x).load(std::memory_order_relaxed));  // access 2
      reach(2);
    });
    await(2);
  });
}
