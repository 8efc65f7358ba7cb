// Cond with its Mutex: the producer writes data, sets ready under the lock and signals; the
// consumer waits under the lock. Unlock → lock orders everything. No race.
// RUN-FLAGS: -race
// OPT: -O0 -O2
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
    goro::go([&] {
      data = 42;
      std::lock_guard lock(mu);
      ready = true;
      cond.signal();
    });
    {
      std::unique_lock lock(mu);
      while (!ready) cond.wait();
    }
    use(data);
  });
}
