// after_func orders only what came before the call: the caller's write after it races with the
// function's read.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_after_func_write_after_start\.cpp:20\b
// CHECK: Previous
// CHECK-RE: race_after_func_write_after_start\.cpp:23\b
// CHECK: Found 1 data race(s)
#include <chrono>
#include <goro/goro.hpp>

#include "race_steps.hpp"

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
