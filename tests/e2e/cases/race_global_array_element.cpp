// One element of a global array written by two goroutines: a race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_global_array_element\.cpp:23\b
// CHECK: Previous
// CHECK-RE: race_global_array_element\.cpp:18\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

long g_table[16];

int main() {
  return goro::run([] {
    goro::go([] {
      g_table[5] = 1;  // access 1
      reach(1);
    });
    goro::go([] {
      await(1);
      g_table[5] = 2;  // access 2
      reach(2);
    });
    await(2);
  });
}
