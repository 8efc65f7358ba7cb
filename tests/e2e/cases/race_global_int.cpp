// A global written by two goroutines without synchronisation: a race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_global_int\.cpp:23\b
// CHECK: Previous
// CHECK-RE: race_global_int\.cpp:18\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int g_counter;

int main() {
  return goro::run([] {
    goro::go([] {
      g_counter = 1;  // access 1
      reach(1);
    });
    goro::go([] {
      await(1);
      g_counter = 2;  // access 2
      reach(2);
    });
    await(2);
  });
}
