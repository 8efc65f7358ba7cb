// Goroutine stacks are recycled: each round a new goroutine (not ordered after the previous one,
// which only finished in time) writes a 1 KiB local array that lies where the previous goroutine's
// did. Reused stack memory is fresh: no false race.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <atomic>
#include <goro/goro.hpp>

#include "race_steps.hpp"

__attribute__((noinline)) void fill(int* p, int n, int v) {
  for (int i = 0; i < n; ++i) p[i] = v;
}
__attribute__((noinline)) void work(int v) {
  int buf[256];
  fill(buf, 256, v);
  use(buf[v % 256]);
}

int main() {
  return goro::run([] {
    for (int round = 1; round <= 20; ++round) {
      goro::go([] {  // captures nothing: only the stack is reused memory
        const int r = step.load(std::memory_order_relaxed) + 1;
        work(r);
        reach(r);
      });
      await(round);
      while (goro::num_goroutine() > 1) goro::yield();  // it exited: its stack may be reused
    }
  });
}
