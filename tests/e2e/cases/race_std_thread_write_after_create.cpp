// Thread creation orders only what came before it: main's write after constructing the thread races
// with the thread's read.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_std_thread_write_after_create\.cpp:18\b
// CHECK: Previous
// CHECK-RE: race_std_thread_write_after_create\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <thread>

#include "race_steps_threads.hpp"

int main() {
  int x = 0;
  std::thread t([&] {
    await(1);
    use(x);  // access 2
  });
  x = 1;  // access 1
  reach(1);
  t.join();
}
