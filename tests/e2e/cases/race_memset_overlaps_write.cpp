// memset over 100 bytes writes buf[99]: a plain write of buf[99] in another goroutine races with
// it.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_memset_overlaps_write\.cpp:31\b
// CHECK: Previous
// CHECK-RE: race_memset_overlaps_write\.cpp:26\b
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
