// The go statement orders only what came before it: the parent's write of a global after go races
// with the goroutine's read.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_go_write_after_go\.cpp:20\b
// CHECK: Previous
// CHECK-RE: race_go_write_after_go\.cpp:23\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

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
