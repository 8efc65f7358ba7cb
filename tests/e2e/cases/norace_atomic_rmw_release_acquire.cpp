// A read-modify-write with release order (fetch_add) synchronizes with an acquire load that reads
// its value. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <atomic>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int data = 0;
    std::atomic<int> count{0};
    goro::go([&] {
      data = 1;
      count.fetch_add(1, std::memory_order_release);
    });
    while (count.load(std::memory_order_acquire) == 0) goro::yield();
    use(data);
  });
}
