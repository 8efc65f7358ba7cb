// A goroutine's reads of its own closure go unchecked when its lambda cannot change the captures
// (as Go's closures are read-only); a mutable lambda can, and can lend one out by reference: its
// read of the capture races with the write of the goroutine it lent it to.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Write at
// CHECK-RE: race_mutable_lambda_lends_its_capture\.cpp:22\b
// CHECK: Previous read at
// CHECK-RE: race_mutable_lambda_lends_its_capture\.cpp:25\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    goro::go([count = 0]() mutable {
      goro::go([&count] {
        await(1);
        count = 1;  // access 2
        reach(2);
      });
      use(count);  // access 1
      reach(1);
      await(2);
    });
    await(2);
  });
}
