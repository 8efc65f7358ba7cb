// Sleeping is not synchronisation (SPEC: sleep creates no edge): the main goroutine sleeps "long
// enough" after starting the writer, yet its read still races with the write.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_sleep_no_edge\.cpp:31\b
// CHECK: Previous
// CHECK-RE: race_sleep_no_edge\.cpp:26\b
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
    goro::sleep(std::chrono::milliseconds(20));
    await(1);  // makes the order certain: no edge either
    use(x);    // access 2
  });
}
