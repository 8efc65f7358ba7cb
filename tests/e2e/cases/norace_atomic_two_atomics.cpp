// Two atomic accesses never race, whatever their order: two goroutines fetch_add, store and load
// one std::atomic with relaxed order concurrently.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <atomic>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    std::atomic<int> n{0};
    goro::WaitGroup wg;
    wg.add(2);
    for (int g = 0; g < 2; ++g) {
      goro::go([&] {
        for (int i = 0; i < 100; ++i) n.fetch_add(1, std::memory_order_relaxed);
        n.store(7, std::memory_order_relaxed);
        use(n.load(std::memory_order_relaxed));
        wg.done();
      });
    }
    wg.wait();
  });
}
