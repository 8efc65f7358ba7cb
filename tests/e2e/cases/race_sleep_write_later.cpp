// A writer that sleeps before writing, so the reader "surely" read first: the sleep orders nothing,
// the later write races with the earlier read.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_sleep_write_later\.cpp:28\b
// CHECK: Previous
// CHECK-RE: race_sleep_write_later\.cpp:31\b
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
      goro::sleep(std::chrono::milliseconds(10));
      await(1);
      x = 1;  // access 2
      reach(2);
    });
    use(x);  // access 1
    reach(1);
    await(2);
  });
}
