// A lambda capturing by reference shares the variable: the goroutine's read races with the parent's
// write after the go statement.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_lambda_capture_by_reference\.cpp:20\b
// CHECK: Previous
// CHECK-RE: race_lambda_capture_by_reference\.cpp:23\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

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
