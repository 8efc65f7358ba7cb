// The go statement orders only what came before it: the parent's write of a global after go races
// with the goroutine's read.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_go_write_after_go\.cpp:27\b
// CHECK: Previous
// CHECK-RE: race_go_write_after_go\.cpp:30\b
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

int g_x;

int main() {
  return goro::run([] {
    goro::go([] {
      await(1);
      use(g_x);  // access 2
      reach(2);
    });
    g_x = 1;  // access 1
    reach(1);
    await(2);
  });
}
