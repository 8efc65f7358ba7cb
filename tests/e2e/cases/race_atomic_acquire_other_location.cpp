// Release/acquire pairs per location: an acquire load of flag b synchronizes with b's release store
// only, not with a release store to flag a. The read of data races with its write.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_atomic_acquire_other_location\.cpp:29\b
// CHECK: Previous
// CHECK-RE: race_atomic_acquire_other_location\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int data = 0;
    std::atomic<int> a{0}, b{0};
    goro::go([&] {
      data = 1;  // access 1
      a.store(1, std::memory_order_release);
      reach(1);
    });
    goro::go([&] {
      await(1);
      b.store(1, std::memory_order_release);
    });
    while (b.load(std::memory_order_acquire) == 0) goro::yield();
    use(data);  // access 2
  });
}
