// A plain std::thread program (no goroutines) built with -race: one thread writes under a
// std::mutex, the other without it. A race between the two threads.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_std_thread_mutex_missing\.cpp:27\b
// CHECK: Previous
// CHECK-RE: race_std_thread_mutex_missing\.cpp:22\b
// CHECK: Found 1 data race(s)
#include <mutex>
#include <thread>

#include "race_steps_threads.hpp"

int g_x;
std::mutex g_mu;

int main() {
  std::thread t1([] {
    std::lock_guard lock(g_mu);
    g_x = 1;  // access 1
    reach(1);
  });
  std::thread t2([] {
    await(1);
    g_x = 2;  // access 2
  });
  t1.join();
  t2.join();
}
