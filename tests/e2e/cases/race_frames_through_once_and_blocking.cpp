// A race inside the function a Once runs or the call goro::blocking makes names the program's
// function that called them: the runtime runs both out of line and pushes no frame of its own, so
// at -O1 the reports once ended at the callback, without via_once or via_blocking.
// RUN-FLAGS: -race
// OPT: -O0 -O1 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_frames_through_once_and_blocking\.cpp:22\b
// CHECK-RE: ^  via_once\(\)
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_frames_through_once_and_blocking\.cpp:26\b
// CHECK-RE: ^  via_blocking\(\)
// CHECK: Found 2 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

long b, c;
goro::Once once;

[[gnu::noinline]] void via_once() {
  once.call([] { b = 2; });
}

[[gnu::noinline]] void via_blocking() {
  goro::blocking([] { c = 2; });
}

int main() {
  return goro::run([] {
    goro::go([] {
      b = 1;
      c = 1;
      reach(1);
    });
    await(1);
    via_once();
    via_blocking();
  });
}
