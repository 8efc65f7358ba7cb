// A plain-thread program (no goro::run) whose race changes the exit status to 66 keeps what it
// printed: stdout is a pipe here, so printf's output sits in a buffer until the exit path
// flushes it.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Found 1 data race(s)
// CHECK-STDOUT: before the threads
// CHECK-STDOUT: after the join: counter
#include <cstdio>
#include <thread>

#include "race_steps_threads.hpp"

int counter;

int main() {
  std::printf("before the threads\n");
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
  std::printf("after the join: counter %d\n", counter);
}
