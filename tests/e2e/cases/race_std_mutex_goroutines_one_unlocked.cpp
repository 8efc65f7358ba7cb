// The goroutine twin of race_std_thread_mutex_missing: one goroutine writes under a std::mutex, the
// other without it. A race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_std_mutex_goroutines_one_unlocked\.cpp:28\b
// CHECK: Previous
// CHECK-RE: race_std_mutex_goroutines_one_unlocked\.cpp:22\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>
#include <mutex>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    std::mutex mu;
    goro::go([&] {
      {
        std::lock_guard lock(mu);
        x = 1;  // access 1
      }
      reach(1);  // after the unlock: main returns once step 2 is reached, and mu is gone
    });
    goro::go([&] {
      await(1);
      x = 2;  // access 2
      reach(2);
    });
    await(2);
  });
}
