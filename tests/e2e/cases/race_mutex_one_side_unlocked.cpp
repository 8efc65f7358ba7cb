// A lock only orders the goroutines that take it: the second goroutine writes without locking, so
// its write races with the first goroutine's locked write.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_mutex_one_side_unlocked\.cpp:26\b
// CHECK: Previous
// CHECK-RE: race_mutex_one_side_unlocked\.cpp:20\b
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
      mu.unlock();
      reach(1);
    });
    goro::go([&] {
      await(1);
      x = 2;  // access 2
      reach(2);
    });
    await(2);
  });
}
