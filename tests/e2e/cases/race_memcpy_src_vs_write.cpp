// memcpy reads its whole source range: a plain write of src[10] in another goroutine races with the
// copy's read.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_memcpy_src_vs_write\.cpp:26\b
// CHECK: Previous
// CHECK-RE: race_memcpy_src_vs_write\.cpp:21\b
// CHECK: Found 1 data race(s)
#include <cstring>
#include <goro/goro.hpp>

#include "race_steps.hpp"

char src[64];
char dst[64];

int main() {
  return goro::run([] {
    goro::go([] {
      std::memcpy(dst, src, sizeof src);  // access 1
      reach(1);
    });
    goro::go([] {
      await(1);
      src[10] = 1;  // access 2
      reach(2);
    });
    await(2);
  });
}
