// The same array element written by two goroutines is a race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_array_same_element\.cpp:22\b
// CHECK: Previous
// CHECK-RE: race_array_same_element\.cpp:17\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int a[8] = {};
    goro::go([&] {
      a[3] = 1;  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      a[3] = 2;  // access 2
      reach(2);
    });
    await(2);
  });
}
