// A release store needs an acquire load to synchronize with: a relaxed load acquires nothing, so
// the plain accesses race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_atomic_release_store_relaxed_load\.cpp:24\b
// CHECK: Previous
// CHECK-RE: race_atomic_release_store_relaxed_load\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int data = 0;
    std::atomic<int> flag{0};
    goro::go([&] {
      data = 1;  // access 1
      flag.store(1, std::memory_order_release);
    });
    while (flag.load(std::memory_order_relaxed) == 0) goro::yield();
    use(data);  // access 2
  });
}
