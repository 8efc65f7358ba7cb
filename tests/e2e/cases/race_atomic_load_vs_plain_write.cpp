// An atomic (relaxed) load of an int that another goroutine wrote with a plain store is a data race
// too: the plain write is not atomic.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_atomic_load_vs_plain_write\.cpp:24\b
// CHECK: Previous
// CHECK-RE: race_atomic_load_vs_plain_write\.cpp:19\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::go([&] {
      x = 1;  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      use(std::atomic_ref<int>(x).load(std::memory_order_relaxed));  // access 2
      reach(2);
    });
    await(2);
  });
}
