// memset over 100 bytes writes buf[99]: a plain write of buf[99] in another goroutine races with
// it.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_memset_overlaps_write\.cpp:25\b
// CHECK: Previous
// CHECK-RE: race_memset_overlaps_write\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <cstring>
#include <goro/goro.hpp>

#include "race_steps.hpp"

char buf[128];

int main() {
  return goro::run([] {
    goro::go([] {
      std::memset(buf, 0, 100);  // access 1
      reach(1);
    });
    goro::go([] {
      await(1);
      buf[99] = 1;  // access 2
      reach(2);
    });
    await(2);
  });
}
