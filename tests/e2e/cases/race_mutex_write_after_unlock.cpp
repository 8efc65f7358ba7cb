// Unlock orders what came before it: a write after unlock races with the next lock holder's read.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_mutex_write_after_unlock\.cpp:26\b
// CHECK: Previous
// CHECK-RE: race_mutex_write_after_unlock\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::Mutex mu;
    goro::go([&] {
      mu.lock();
      mu.unlock();
      x = 1;  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      mu.lock();
      use(x);  // access 2
      mu.unlock();
      reach(2);
    });
    await(2);
  });
}
