// The value on an after() channel comes from the runtime's timer, not from another goroutine:
// receiving it orders nothing, so the read after it races with the write.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_timer_after_no_edge\.cpp:24\b
// CHECK: Previous
// CHECK-RE: race_timer_after_no_edge\.cpp:19\b
// CHECK: Found 1 data race(s)
#include <chrono>
#include <goro/goro.hpp>

#include "race_steps.hpp"

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
