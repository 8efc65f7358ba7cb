// A release sequence continues through read-modify-writes: an acquire load that reads the value of
// another goroutine's relaxed fetch_add still synchronizes with the release store it followed (C++
// [intro.races]). No race.
// RUN-FLAGS: -race
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
      flag.store(1, std::memory_order_release);  // heads a release sequence
    });
    goro::go([&] {
      while (flag.load(std::memory_order_relaxed) != 1) goro::yield();
      flag.fetch_add(1, std::memory_order_relaxed);  // an RMW: part of that sequence
    });
    while (flag.load(std::memory_order_acquire) != 2) goro::yield();
    use(data);
  });
}
