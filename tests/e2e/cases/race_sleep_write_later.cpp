// A writer that sleeps before writing, so the reader "surely" read first: the sleep orders nothing,
// the later write races with the earlier read.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_sleep_write_later\.cpp:21\b
// CHECK: Previous
// CHECK-RE: race_sleep_write_later\.cpp:24\b
// CHECK: Found 1 data race(s)
#include <chrono>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::go([&] {
      goro::sleep(std::chrono::milliseconds(10));
      await(1);
      x = 1;  // access 2
      reach(2);
    });
    use(x);  // access 1
    reach(1);
    await(2);
  });
}
