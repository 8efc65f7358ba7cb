// Two after_func functions run in their own goroutines, ordered with nothing but their timers'
// setup (Go's TestRaceAfterFunc3): both write x, a race. main keeps both Timers until the end: a
// handle dropped last destroys the function's closure after its run, an edge as real as the
// shared_ptr count behind it, so a main delayed past the first run before dropping its first
// handle would order that run before the second timer's creation, and the race would be gone.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_after_func_two_callbacks\.cpp:27\b
// CHECK: Previous
// CHECK-RE: race_after_func_two_callbacks\.cpp:22\b
// CHECK: Found 1 data race(s)
#include <chrono>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::Timer first = goro::after_func(std::chrono::milliseconds(1), [&] {
      x = 1;  // access 1
      reach(1);
    });
    goro::Timer second = goro::after_func(std::chrono::milliseconds(2), [&] {
      await(1);
      x = 2;  // access 2
      reach(2);
    });
    await(2);
  });
}
