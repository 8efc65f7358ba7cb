// A lambda capturing by reference shares the variable: the goroutine's read races with the parent's
// write after the go statement.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_lambda_capture_by_reference\.cpp:27\b
// CHECK: Previous
// CHECK-RE: race_lambda_capture_by_reference\.cpp:30\b
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
    goro::go([&x] {
      await(1);
      use(x);  // access 2
      reach(2);
    });
    x = 1;  // access 1
    reach(1);
    await(2);
  });
}
