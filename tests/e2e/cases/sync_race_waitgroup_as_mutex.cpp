// A WaitGroup is not a lock (Go's TestRaceWaitGroupAsMutex): add(+1) acquires nothing, so two
// goroutines bracketing their writes with add(1)/add(-1) still race, whichever runs first.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    int x = 0;
    goro::WaitGroup wg;
    goro::WaitGroup finished;
    finished.add(2);
    for (int v = 1; v <= 2; ++v) {
      goro::go([&, v] {
        wg.add(1);  // NOLINT(goro-waitgroup-add): the misuse under test
        x = v;
        wg.add(-1);
        finished.done();
      });
    }
    finished.wait();
  });
}
