// With -fno-builtin, memcpy stays a call of the C library's memcpy; it is still checked over its
// whole range (SPEC: intrinsics and libc calls), so it races with a write of dst[63].
// RUN-FLAGS: -race -fno-builtin
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_memcpy_libc_call\.cpp:26\b
// CHECK: Previous
// CHECK-RE: race_memcpy_libc_call\.cpp:21\b
// CHECK: Found 1 data race(s)
#include <cstring>
#include <goro/goro.hpp>

#include "race_steps.hpp"

char src[64];
char dst[64];

int main() {
  return goro::run([] {
    goro::go([] {
      memcpy(dst, src, sizeof dst);  // access 1
      reach(1);
    });
    goro::go([] {
      await(1);
      dst[63] = 1;  // access 2
      reach(2);
    });
    await(2);
  });
}
