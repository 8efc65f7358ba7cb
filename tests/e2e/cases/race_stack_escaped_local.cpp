// A local variable whose address escapes to another goroutine is shared memory like any other: the
// owner writes it after sending its address, the other goroutine writes through the pointer. A race
// on stack memory.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_stack_escaped_local\.cpp:28\b
// CHECK: Previous
// CHECK-RE: race_stack_escaped_local\.cpp:21\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

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
