// The value on an after() channel comes from the runtime's timer, not from another goroutine:
// receiving it orders nothing, so the read after it races with the write.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_timer_after_no_edge\.cpp:31\b
// CHECK: Previous
// CHECK-RE: race_timer_after_no_edge\.cpp:26\b
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
    goro::go([&] {
      x = 1;  // access 1
      reach(1);
    });
    goro::after(std::chrono::milliseconds(10)).recv();
    await(1);
    use(x);  // access 2
  });
}
