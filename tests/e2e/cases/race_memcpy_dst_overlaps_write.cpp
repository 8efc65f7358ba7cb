// memcpy is checked over its whole range (SPEC): copying 64 bytes into dst writes dst[40], which
// races with another goroutine's plain write of dst[40].
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_memcpy_dst_overlaps_write\.cpp:27\b
// CHECK: Previous
// CHECK-RE: race_memcpy_dst_overlaps_write\.cpp:22\b
// CHECK: Found 1 data race(s)
#include <cstring>
#include <goro/goro.hpp>

#include "race_steps.hpp"

char src[64];
char dst[64];

int main() {
  return goro::run([] {
    goro::go([] {
      std::memcpy(dst, src, sizeof dst);  // access 1
      reach(1);
    });
    goro::go([] {
      await(1);
      dst[40] = 1;  // access 2
      reach(2);
    });
    await(2);
  });
}
