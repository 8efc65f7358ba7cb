// Unlock of the write lock happens before a later RLock returns: the writer goes first (in time
// only), the reader's RLock orders its read after the write.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::RWMutex rw;
    goro::go([&] {
      await(1);
      rw.lock_shared();
      use(x);
      rw.unlock_shared();
      reach(2);
    });
    rw.lock();
    x = 1;
    rw.unlock();
    reach(1);
    await(2);
  });
}
