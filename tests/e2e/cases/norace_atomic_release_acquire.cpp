// std::atomic release store / acquire load that reads it: the store synchronizes with the load, so
// the plain write before the store is ordered before the plain read after the load.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <atomic>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int data = 0;
    std::atomic<int> flag{0};
    goro::go([&] {
      data = 1;
      flag.store(1, std::memory_order_release);
    });
    while (flag.load(std::memory_order_acquire) == 0) goro::yield();
    use(data);
  });
}
