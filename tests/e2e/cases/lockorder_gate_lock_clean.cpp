// A and B are taken in both orders, but always under one outer lock (a "gate"): the two orders can
// never interleave, so there is no potential deadlock and nothing is reported (ThreadSanitizer
// reports this one). Twin: lockorder_inversion_two_phases.cpp, the same orders without the gate.
// Main then takes the pair once more, in the first order and under the gate.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// CHECK-NOT: lock-order inversion
// CHECK-NOT: DATA RACE
// CHECK-STDOUT: shared 3
#include <cstdio>
#include <goro/goro.hpp>
#include <mutex>

goro::Mutex gate;
goro::Mutex a;
goro::Mutex b;
int shared = 0;

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    wg.add(1);
    goro::go([&] {
      std::lock_guard g(gate);
      std::lock_guard la(a);
      std::lock_guard lb(b);
      ++shared;
      wg.done();
    });
    wg.wait();
    wg.add(1);
    goro::go([&] {
      std::lock_guard g(gate);
      std::lock_guard lb(b);
      std::lock_guard la(a);
      ++shared;
      wg.done();
    });
    wg.wait();
    {
      std::lock_guard g(gate);
      std::lock_guard la(a);
      std::lock_guard lb(b);
      ++shared;
    }
    std::printf("shared %d\n", shared);
    return 0;
  });
}
