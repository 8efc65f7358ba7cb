// With -fno-builtin, memcpy stays a call of the C library's memcpy; it is still checked over its
// whole range (SPEC: intrinsics and libc calls), so it races with a write of dst[63].
// RUN-FLAGS: -race -fno-builtin
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_memcpy_libc_call\.cpp:32\b
// CHECK: Previous
// CHECK-RE: race_memcpy_libc_call\.cpp:27\b
// CHECK: Found 1 data race(s)
#include <atomic>
#include <cstring>
#include <goro/goro.hpp>

// Orders the accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) goro::yield();
}

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
