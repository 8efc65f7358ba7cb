// Two different Once objects do not order each other's functions: both initialise x, and the writes
// race.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_once_two_onces\.cpp:28\b
// CHECK: Previous
// CHECK-RE: race_once_two_onces\.cpp:21\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::Once once1, once2;
    goro::go([&] {
      once1.call([&] {
        x = 1;  // access 1
      });
      reach(1);
    });
    goro::go([&] {
      await(1);
      once2.call([&] {
        x = 2;  // access 2
      });
      reach(2);
    });
    await(2);
  });
}
