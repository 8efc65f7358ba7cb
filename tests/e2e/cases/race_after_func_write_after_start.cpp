// after_func orders only what came before the call: the caller's write after it races with the
// function's read.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_after_func_write_after_start\.cpp:27\b
// CHECK: Previous
// CHECK-RE: race_after_func_write_after_start\.cpp:30\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <chrono>
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
    goro::after_func(std::chrono::milliseconds(1), [&] {
      await(1);
      use(x);  // access 2
      reach(2);
    });
    x = 1;  // access 1
    reach(1);
    await(2);
  });
}
