// Fence synchronization (C++ [atomics.fences]): a release fence before a relaxed store, and an
// acquire fence after the relaxed load that reads it, order the plain write before the plain read.
// SPEC: std::atomic_thread_fence is visible to the detector with its memory order. No race.
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
      std::atomic_thread_fence(std::memory_order_release);
      flag.store(1, std::memory_order_relaxed);
    });
    while (flag.load(std::memory_order_relaxed) == 0) goro::yield();
    std::atomic_thread_fence(std::memory_order_acquire);
    use(data);
  });
}
