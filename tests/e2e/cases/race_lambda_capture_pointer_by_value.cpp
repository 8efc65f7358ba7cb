// Capturing a pointer by value copies the pointer only: the int it points to is shared, and the
// goroutine's read races with the parent's later write.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_lambda_capture_pointer_by_value\.cpp:27\b
// CHECK: Previous
// CHECK-RE: race_lambda_capture_pointer_by_value\.cpp:30\b
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
    int* p = &x;
    goro::go([p] {
      await(1);
      use(*p);  // access 2
      reach(2);
    });
    x = 1;  // access 1
    reach(1);
    await(2);
  });
}
