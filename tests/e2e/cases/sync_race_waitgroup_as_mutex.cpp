// A WaitGroup is not a lock (Go's TestRaceWaitGroupAsMutex): add(+1) acquires nothing, so two
// goroutines bracketing their writes with add(1)/add(-1) still race: the second brackets its write
// after the first has finished its own, in time but with no edge.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::WaitGroup wg;
    goro::WaitGroup finished;
    finished.add(2);
    for (int v = 1; v <= 2; ++v) {
      goro::go([&, v] {
        if (v == 2) await(1);
        wg.add(1);  // NOLINT(goro-waitgroup-add): the misuse under test
        x = v;
        wg.add(-1);
        if (v == 1) reach(1);
        finished.done();
      });
    }
    finished.wait();
  });
}
