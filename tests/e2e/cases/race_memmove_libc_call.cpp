// memmove (a libc call under -fno-builtin) within one buffer reads buf[0..32) and writes
// buf[1..33): another goroutine's write of buf[20] races with it.
// RUN-FLAGS: -race -fno-builtin
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_memmove_libc_call\.cpp:25\b
// CHECK: Previous
// CHECK-RE: race_memmove_libc_call\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <cstring>
#include <goro/goro.hpp>

#include "race_steps.hpp"

char buf[64];

int main() {
  return goro::run([] {
    goro::go([] {
      memmove(buf + 1, buf, 32);  // access 1
      reach(1);
    });
    goro::go([] {
      await(1);
      buf[20] = 1;  // access 2
      reach(2);
    });
    await(2);
  });
}
