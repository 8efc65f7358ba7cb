// A local variable whose address escapes to another goroutine is shared memory like any other: the
// owner writes it after sending its address, the other goroutine writes through the pointer. A race
// on stack memory.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_stack_escaped_local\.cpp:34\b
// CHECK: Previous
// CHECK-RE: race_stack_escaped_local\.cpp:27\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <goro/goro.hpp>

// Orders the accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) goro::yield();
}

int main() {
  return goro::run([] {
    auto c = goro::make_chan<int*>();
    goro::go([&] {
      int local = 0;
      c.send(&local);
      local = 1;  // access 1
      reach(1);
      await(2);  // keeps the frame alive
    });
    goro::go([&] {
      int* p = c.recv();
      await(1);
      *p = 2;  // access 2
      reach(2);
    });
    await(2);
  });
}
