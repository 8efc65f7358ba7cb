// Mixing an atomic write with a plain write of the same int (std::atomic_ref in one goroutine, a
// plain store in the other) is a data race: atomics race with plain accesses.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_atomic_vs_plain\.cpp:24\b
// CHECK: Previous
// CHECK-RE: race_atomic_vs_plain\.cpp:19\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::go([&] {
      std::atomic_ref<int>(x).store(1);  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      x = 2;  // access 2
      reach(2);
    });
    await(2);
  });
}
