// Unlock of one mutex does not order a Lock of another: two goroutines writing under different
// goro::Mutexes race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_mutex_different_mutexes\.cpp:27\b
// CHECK: Previous
// CHECK-RE: race_mutex_different_mutexes\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::Mutex mu1, mu2;
    goro::go([&] {
      mu1.lock();
      x = 1;  // access 1
      mu1.unlock();
      reach(1);
    });
    goro::go([&] {
      await(1);
      mu2.lock();
      x = 2;  // access 2
      mu2.unlock();
      reach(2);
    });
    await(2);
  });
}
