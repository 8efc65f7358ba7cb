// A Cond bound to an RWMutex's write lock: the same ordering as with a Mutex (unlock → lock around
// wait). No race.
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
    goro::RWMutex rw;
    goro::Cond cond(rw);
    goro::go([&] {
      data = 42;
      std::lock_guard lock(rw);
      ready = true;
      cond.signal();
    });
    {
      std::unique_lock lock(rw);
      while (!ready) cond.wait();
    }
    use(data);
  });
}
