// Two goroutines both writing under the read lock: read locks do not exclude or order each other,
// so the writes race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_rwmutex_readers_write_write\.cpp:30\b
// CHECK: Previous
// CHECK-RE: race_rwmutex_readers_write_write\.cpp:22\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>
#include <shared_mutex>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::RWMutex rw;
    goro::go([&] {
      {
        std::shared_lock lock(rw);
        x = 1;  // access 1
      }
      reach(1);
    });
    goro::go([&] {
      await(1);
      {
        std::shared_lock lock(rw);
        x = 2;  // access 2
      }
      reach(2);  // after the unlock: once main sees step 2 it returns and rw is gone
    });
    await(2);
  });
}
