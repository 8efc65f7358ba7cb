// done orders only what came before it: a write after done races with the read after wait returns.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_waitgroup_write_after_done\.cpp:25\b
// CHECK: Previous
// CHECK-RE: race_waitgroup_write_after_done\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::WaitGroup wg;
    wg.add(1);
    goro::go([&] {
      wg.done();
      x = 1;  // access 1
      reach(1);
    });
    wg.wait();
    await(1);
    use(x);  // access 2
  });
}
