// As in Go, a Mutex may be unlocked by another goroutine than the one that locked it; the unlock
// still happens before the next lock returns. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::Mutex mu;
    mu.lock();
    goro::go([&] {
      x = 1;
      mu.unlock();
    });
    mu.lock();  // returns after the goroutine's unlock
    use(x);
    mu.unlock();
  });
}
