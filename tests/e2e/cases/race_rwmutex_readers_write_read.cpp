// Two readers are not ordered with each other (RUnlock orders only the next Lock): a goroutine that
// wrongly writes under the read lock races with another reader.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_rwmutex_readers_write_read\.cpp:28\b
// CHECK: Previous
// CHECK-RE: race_rwmutex_readers_write_read\.cpp:21\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::RWMutex rw;
    goro::go([&] {
      rw.lock_shared();
      x = 1;  // access 1
      rw.unlock_shared();
      reach(1);
    });
    goro::go([&] {
      await(1);
      rw.lock_shared();
      use(x);  // access 2
      rw.unlock_shared();
      reach(2);
    });
    await(2);
  });
}
