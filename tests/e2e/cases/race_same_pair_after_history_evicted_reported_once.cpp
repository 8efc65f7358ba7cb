// Each racing pair of source locations is reported once (SPEC), also when the same race is met
// again after the earlier side's history was evicted: goroutine A bumps a counter, B bumps it with
// no edge between them (one report: bump() against bump()), then 1100 goroutines start and end
// (more than the 1024 finished goroutines whose histories are kept), then C bumps it with no edge
// to B. C's race is with B at the same two source lines, but B's stack can no longer be restored:
// it was reported a second time, with "[failed to restore the stack]", until such a report was
// dropped when its location had already been reported.
// RUN-FLAGS: -race
// ENV: GOMAXPROCS=1
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_same_pair_after_history_evicted_reported_once\.cpp:25\b
// CHECK: Found 1 data race(s)
// CHECK-NOT: failed to restore the stack
#include <goro/goro.hpp>

#include "race_steps.hpp"

long counter;

// Ordered in time by the step counter, which makes no happens-before edge.
__attribute__((noinline)) void bump(int after, int then) {
  await(after);
  ++counter;
  reach(then);
}

int main() {
  return goro::run([] {
    goro::go([] { bump(0, 1); });  // A
    goro::go([] { bump(1, 2); });  // B: races with A
    await(2);
    for (int i = 0; i < 1100; ++i) {
      goro::go([i] { reach(3 + i); });
      await(3 + i);
    }
    goro::go([] { bump(1102, 1103); });  // C: races with B, same lines, B's history gone
    await(1103);
    return 0;
  });
}
