// Two threads writing under std::shared_lock (shared ownership): read locks do not order each
// other, so the writes race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_std_shared_mutex_writes_under_shared_lock\.cpp:27\b
// CHECK: Previous
// CHECK-RE: race_std_shared_mutex_writes_under_shared_lock\.cpp:21\b
// CHECK: Found 1 data race(s)
#include <shared_mutex>
#include <thread>

#include "race_steps_threads.hpp"

int g_x;
std::shared_mutex g_rw;

int main() {
  std::thread t1([] {
    std::shared_lock lock(g_rw);
    g_x = 1;  // access 1
    reach(1);
  });
  std::thread t2([] {
    await(1);
    std::shared_lock lock(g_rw);
    g_x = 2;  // access 2
  });
  t1.join();
  t2.join();
}
