// RUnlock happens before the next Lock returns (Go memory model): the reader is made to finish
// first (in time only), and the writer's Lock orders its write after the reader's read.
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
      rw.lock_shared();
      use(x);
      rw.unlock_shared();
      reach(1);
    });
    await(1);
    rw.lock();
    x = 1;
    rw.unlock();
  });
}
