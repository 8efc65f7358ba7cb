// main's own thread_local array escapes to a worker it starts (thread creation orders everything
// main did before it): the worker writes one element through the pointer, and main then writes the
// same element directly with nothing ordering it after the worker's write -> one race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_thread_local_of_main_written_by_worker\.cpp:28\b
// CHECK: Previous
// CHECK-RE: race_thread_local_of_main_written_by_worker\.cpp:23\b
// CHECK: Found 1 data race(s)
#include <cstdio>
#include <thread>

#include "race_steps_threads.hpp"

thread_local int tl_slots[4];

int main() {
  tl_slots[2] = 5;
  std::thread worker(
      [](int* slot) {
        *slot = 6;  // access 1
        reach(1);
      },
      &tl_slots[2]);
  await(1);
  tl_slots[2] = 7;  // access 2
  worker.join();
  std::printf("slot %d\n", tl_slots[2]);
}
