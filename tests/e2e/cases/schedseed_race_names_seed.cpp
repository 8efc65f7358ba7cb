// A race build in a seeded schedule: the exit summary names the setting that replays the run, and
// GOMAXPROCS=2 set by the user is kept.
// RUN-FLAGS: -race
// ENV: GORODEBUG=schedseed=12
// ENV: GOMAXPROCS=2
// EXIT: 66
// CHECK-STDOUT: GOMAXPROCS 2
// CHECK: WARNING: DATA RACE
// CHECK: Found 1 data race(s)
// CHECK: seeded schedule: GORODEBUG=schedseed=12
#include <cstdio>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int counter = 0;

int main() {
  return goro::run([] {
    std::printf("GOMAXPROCS %d\n", goro::gomaxprocs());
    goro::WaitGroup wg;
    wg.add(2);
    for (int i = 0; i < 2; ++i) {
      goro::go([&wg, i] {  // the second increments after the first, in time only
        if (i == 1) await(1);
        ++counter;
        if (i == 0) reach(1);
        wg.done();
      });
    }
    wg.wait();
    return 0;
  });
}
