// std::atomic_ref on a plain int with release store / acquire load synchronizes like std::atomic
// (SPEC: atomic_ref is visible with its memory orders). No race on data.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <atomic>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int data = 0;
    alignas(std::atomic_ref<int>::required_alignment) int flag = 0;
    goro::go([&] {
      data = 1;
      std::atomic_ref<int>(flag).store(1, std::memory_order_release);
    });
    while (std::atomic_ref<int>(flag).load(std::memory_order_acquire) == 0) goro::yield();
    use(data);
  });
}
