// Unlock happens before the next Lock returns (Go memory model): two goroutines incrementing under
// one goro::Mutex (via std::lock_guard) are ordered. No race.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>
#include <mutex>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::Mutex mu;
    goro::WaitGroup wg;
    wg.add(2);
    for (int g = 0; g < 2; ++g) {
      goro::go([&] {
        {
          std::lock_guard lock(mu);
          ++x;
        }
        wg.done();
      });
    }
    wg.wait();
    use(x);
  });
}
