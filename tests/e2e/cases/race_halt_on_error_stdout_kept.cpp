// GORACE halt_on_error=1 ends the program at the first race with GORACE exitcode, and what it
// printed before (buffered: stdout is a pipe here) is still written out.
// RUN-FLAGS: -race
// ENV: GORACE=halt_on_error=1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-NOT: Found
// CHECK-STDOUT: printed before the race
#include <cstdio>
#include <thread>

#include "race_steps_threads.hpp"

int counter;

int main() {
  std::printf("printed before the race\n");
  std::thread a([] {
    ++counter;
    reach(1);
  });
  std::thread b([] {
    await(1);  // after a's increment in time, with no edge
    ++counter;
  });
  a.join();
  b.join();
  std::printf("not reached: %d\n", counter);
}
