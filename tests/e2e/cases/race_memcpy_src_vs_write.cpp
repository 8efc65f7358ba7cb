// memcpy reads its whole source range: a plain write of src[10] in another goroutine races with the
// copy's read.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_memcpy_src_vs_write\.cpp:32\b
// CHECK: Previous
// CHECK-RE: race_memcpy_src_vs_write\.cpp:27\b
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
