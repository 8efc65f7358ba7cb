// Two readers holding the read lock at the same time only read shared data written before they
// started: reads never race with reads.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <atomic>
#include <goro/goro.hpp>
#include <shared_mutex>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 42;
    goro::RWMutex rw;
    std::atomic<int> inside{0};
    goro::WaitGroup wg;
    wg.add(2);
    for (int g = 0; g < 2; ++g) {
      goro::go([&] {
        std::shared_lock lock(rw);
        inside.fetch_add(1, std::memory_order_relaxed);
        while (inside.load(std::memory_order_relaxed) < 2) goro::yield();  // both inside
        use(x);
        wg.done();
      });
    }
    wg.wait();
  });
}
