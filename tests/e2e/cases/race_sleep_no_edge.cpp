// Sleeping is not synchronisation (SPEC: sleep creates no edge): the main goroutine sleeps "long
// enough" after starting the writer, yet its read still races with the write.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_sleep_no_edge\.cpp:24\b
// CHECK: Previous
// CHECK-RE: race_sleep_no_edge\.cpp:19\b
// CHECK: Found 1 data race(s)
#include <chrono>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::go([&] {
      x = 1;  // access 1
      reach(1);
    });
    goro::sleep(std::chrono::milliseconds(20));
    await(1);  // makes the order certain: no edge either
    use(x);    // access 2
  });
}
