// Two goroutines take mutexes A and B in opposite orders, one after the other (a WaitGroup between
// the phases), so the run never deadlocks: the lock-order inversion is still reported, with both
// acquisition stacks of each edge, and the exit status is 66 as for a race.
// RUN-FLAGS: -race
// OPT: -O0 -O1 -O2
// EXIT: 66
// CHECK: WARNING: lock-order inversion (potential deadlock)
// CHECK-RE: Cycle in lock order graph: M1 \(0x[0-9a-f]+\) => M2 \(0x[0-9a-f]+\) => M1
// CHECK-RE: Mutex M2 acquired here while holding mutex M1 in goroutine \d+:
// CHECK: take_b_after_a
// CHECK: Mutex M1 previously acquired by the same goroutine here:
// CHECK: take_b_after_a
// CHECK-RE: Mutex M1 acquired here while holding mutex M2 in goroutine \d+:
// CHECK: take_a_after_b
// CHECK: Mutex M2 previously acquired by the same goroutine here:
// CHECK: take_a_after_b
// CHECK-RE: Goroutine \d+ \((finished|running)\) created at:
// CHECK: Found 1 lock-order inversion(s)
// CHECK-NOT: DATA RACE
// CHECK-NOT: Found 0
#include <goro/goro.hpp>
#include <mutex>

goro::Mutex a, b;
int shared = 0;

__attribute__((noinline)) void take_b_after_a() {
  std::lock_guard la(a);
  std::lock_guard lb(b);
  ++shared;
}

__attribute__((noinline)) void take_a_after_b() {
  std::lock_guard lb(b);
  std::lock_guard la(a);
  ++shared;
}

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    wg.add(1);
    goro::go([&] {
      take_b_after_a();
      wg.done();
    });
    wg.wait();
    wg.add(1);
    goro::go([&] {
      take_a_after_b();
      wg.done();
    });
    wg.wait();
  });
}
