// A failed try_lock acquires nothing: reading after it (while the other goroutine still holds the
// lock it wrote under) is a race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_mutex_try_lock_failed\.cpp:29\b
// CHECK: Previous
// CHECK-RE: race_mutex_try_lock_failed\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::Mutex mu;
    goro::go([&] {
      mu.lock();
      x = 1;  // access 1
      reach(1);
      await(2);
      mu.unlock();
      reach(3);  // main returns only after this: mu lives in its frame
    });
    goro::go([&] {
      await(1);
      if (!mu.try_lock()) {
        use(x);  // access 2
      }
      reach(2);
    });
    await(3);
  });
}
