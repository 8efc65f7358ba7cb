// A WaitGroup is not a lock (Go's TestRaceWaitGroupAsMutex): add(1) acquires nothing, so two
// goroutines bracketing their writes with add(1)/add(-1) race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_waitgroup_as_mutex\.cpp:27\b
// CHECK: Previous
// CHECK-RE: race_waitgroup_as_mutex\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::WaitGroup wg;
    goro::go([&] {
      wg.add(1);  // NOLINT(goro-waitgroup-add): the misuse under test
      x = 1;      // access 1
      wg.add(-1);
      reach(1);
    });
    goro::go([&] {
      await(1);
      wg.add(1);  // NOLINT(goro-waitgroup-add): the misuse under test
      x = 2;      // access 2
      wg.add(-1);
      reach(2);
    });
    await(2);
  });
}
