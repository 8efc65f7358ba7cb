// A spin lock from compare_exchange_weak (acquire) and store (release): the unlock synchronizes
// with the next successful CAS. Two goroutines increment under it race-free.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <atomic>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    std::atomic<bool> locked{false};
    goro::WaitGroup wg;
    wg.add(2);
    for (int g = 0; g < 2; ++g) {
      goro::go([&] {
        bool expected = false;
        while (!locked.compare_exchange_weak(expected, true, std::memory_order_acquire,
                                             std::memory_order_relaxed)) {
          expected = false;
          goro::yield();
        }
        ++x;
        locked.store(false, std::memory_order_release);
        wg.done();
      });
    }
    wg.wait();
    use(x);
  });
}
