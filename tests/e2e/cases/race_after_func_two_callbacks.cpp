// Two after_func functions run in their own goroutines, ordered with nothing but their timers'
// setup (Go's TestRaceAfterFunc3): both write x, a race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_after_func_two_callbacks\.cpp:24\b
// CHECK: Previous
// CHECK-RE: race_after_func_two_callbacks\.cpp:19\b
// CHECK: Found 1 data race(s)
#include <chrono>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::after_func(std::chrono::milliseconds(1), [&] {
      x = 1;  // access 1
      reach(1);
    });
    goro::after_func(std::chrono::milliseconds(2), [&] {
      await(1);
      x = 2;  // access 2
      reach(2);
    });
    await(2);
  });
}
