// Three goroutines, one per phase, take A→B, B→C, C→A: no two of them invert a pair, but the three
// edges make a cycle, reported once (the third phase runs twice and finds it again).
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: lock-order inversion (potential deadlock)
// CHECK-RE: Cycle in lock order graph: M1 \(0x\w+\) => M2 \(0x\w+\) => M3 \(0x\w+\) => M1$
// CHECK: Mutex M2 acquired here while holding mutex M1
// CHECK: a_then_b
// CHECK: Mutex M3 acquired here while holding mutex M2
// CHECK: b_then_c
// CHECK: Mutex M1 acquired here while holding mutex M3
// CHECK: c_then_a
// CHECK: Found 1 lock-order inversion(s)
// CHECK-NOT: Found 2
#include <goro/goro.hpp>
#include <mutex>

goro::Mutex a, b, c;

__attribute__((noinline)) void a_then_b() {
  std::lock_guard l1(a);
  std::lock_guard l2(b);
}

__attribute__((noinline)) void b_then_c() {
  std::lock_guard l1(b);
  std::lock_guard l2(c);
}

__attribute__((noinline)) void c_then_a() {
  std::lock_guard l1(c);
  std::lock_guard l2(a);
}

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    for (void (*phase)() : {a_then_b, b_then_c, c_then_a, c_then_a}) {
      wg.add(1);
      goro::go([&wg, phase] {
        phase();
        wg.done();
      });
      wg.wait();
    }
  });
}
