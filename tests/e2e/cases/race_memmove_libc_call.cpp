// memmove (a libc call under -fno-builtin) within one buffer reads buf[0..32) and writes
// buf[1..33): another goroutine's write of buf[20] races with it.
// RUN-FLAGS: -race -fno-builtin
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_memmove_libc_call\.cpp:31\b
// CHECK: Previous
// CHECK-RE: race_memmove_libc_call\.cpp:26\b
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
