// done releases, it does not acquire: one worker's write before its done is ordered before wait
// returns, not before another worker's later done. The second worker's read after its done races.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_waitgroup_done_not_acquire\.cpp:27\b
// CHECK: Previous
// CHECK-RE: race_waitgroup_done_not_acquire\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::WaitGroup wg;
    wg.add(2);
    goro::go([&] {
      x = 1;  // access 1
      wg.done();
      reach(1);
    });
    goro::go([&] {
      await(1);
      wg.done();
      use(x);  // access 2
      reach(2);
    });
    wg.wait();
    await(2);
  });
}
