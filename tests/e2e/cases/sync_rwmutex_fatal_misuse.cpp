// RWMutex misuse is fatal with Go's messages: here an unlock_shared without a matching
// lock_shared, in a goroutine other than main.
// EXIT: 2
// CHECK: fatal error: sync: RUnlock of unlocked RWMutex
// CHECK-RE: ^goroutine \d+ \[running\]:$
// CHECK-RE: sync_rwmutex_fatal_misuse\.cpp:18
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    goro::RWMutex rw;
    goro::WaitGroup wg;
    rw.lock_shared();
    rw.unlock_shared();
    wg.add(1);
    goro::go([&] {
      // One unlock_shared too many.
      rw.unlock_shared();
      wg.done();
    });
    wg.wait();
  });
}
