// Without join nothing orders the thread's write before main's read: a race (join comes only after
// the read).
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_std_thread_no_join\.cpp:21\b
// CHECK: Previous
// CHECK-RE: race_std_thread_no_join\.cpp:17\b
// CHECK: Found 1 data race(s)
#include <thread>

#include "race_steps_threads.hpp"

int main() {
  int x = 0;
  std::thread t([&] {
    x = 1;  // access 1
    reach(1);
  });
  await(1);
  use(x);  // access 2
  t.join();
}
