// A successful try_lock acquires like lock: two goroutines spinning on try_lock and incrementing
// are ordered by the unlock before the other's successful try_lock. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::Mutex mu;
    goro::WaitGroup wg;
    wg.add(2);
    for (int g = 0; g < 2; ++g) {
      goro::go([&] {
        while (!mu.try_lock()) goro::yield();
        ++x;
        mu.unlock();
        wg.done();
      });
    }
    wg.wait();
    use(x);
  });
}
