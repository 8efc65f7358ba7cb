// Broadcast wakes two waiters; each re-locks the Mutex before wait returns, so both read the data
// written before the broadcast race-free.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>
#include <mutex>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int data = 0;
    bool ready = false;
    goro::Mutex mu;
    goro::Cond cond(mu);
    goro::WaitGroup wg;
    wg.add(2);
    for (int g = 0; g < 2; ++g) {
      goro::go([&] {
        {
          std::unique_lock lock(mu);
          while (!ready) cond.wait();
        }
        use(data);
        wg.done();
      });
    }
    data = 42;
    {
      std::lock_guard lock(mu);
      ready = true;
      cond.broadcast();
    }
    wg.wait();
  });
}
