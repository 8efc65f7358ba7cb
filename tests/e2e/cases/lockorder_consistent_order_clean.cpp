// The clean twin of lockorder_inversion_two_phases: both phases take A then B (and a read lock of
// an RWMutex inside, then a try_lock), so no cycle exists and nothing is reported.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 0
// CHECK-NOT: lock-order
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>
#include <mutex>
#include <shared_mutex>

goro::Mutex a, b;
goro::RWMutex rw;
int shared = 0;

__attribute__((noinline)) void take_in_order() {
  std::lock_guard la(a);
  std::lock_guard lb(b);
  std::shared_lock r(rw);
  ++shared;
}

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    for (int phase = 0; phase < 2; ++phase) {
      wg.add(2);
      for (int i = 0; i < 2; ++i) {
        goro::go([&] {
          take_in_order();
          wg.done();
        });
      }
      wg.wait();
    }
  });
}
