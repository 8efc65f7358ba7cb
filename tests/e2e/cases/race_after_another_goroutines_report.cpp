// Reporting a race makes no edge between goroutines, even when two goroutines report their first
// races at once. Goroutines a and b each write a payload, meet, and race with main on a variable of
// their own: two reports at the same moment, the first of the process. Each then reads the other's
// payload: two more races. The report path once had a function-local static whose initialisation
// went through the detector's guard interposers, as the program's statics do: the goroutine that
// found the other initialising it waited, then acquired its clock, and a payload race was lost.
// RUN-FLAGS: -race
// ENV: GOMAXPROCS=2
// RUNS: 10 10
// OPT: -O0 -O1
// EXIT: 66
// CHECK-RE: ^Read at .* by goroutine
// CHECK-RE: race_after_another_goroutines_report\.cpp:43\b
// CHECK-RE: ^Read at .* by goroutine
// CHECK-RE: race_after_another_goroutines_report\.cpp:43\b
// CHECK: Found 4 data race(s)
#include <atomic>
#include <goro/goro.hpp>

#include "race_steps.hpp"

long x_a, x_b, payload_a, payload_b;
std::atomic<int> go_ahead{0}, arrived{0}, reported{0};

// relaxed, all of them: the counters order the steps in time, not in happens-before.
void wait_yielding(const std::atomic<int>& a, int n) {
  while (a.load(std::memory_order_relaxed) < n) goro::yield();
}

// Both goroutines leave together: two Ps spin here until the second arrives.
void meet() {
  arrived.fetch_add(1, std::memory_order_relaxed);
  while (arrived.load(std::memory_order_relaxed) < 2) {
  }
}

void race_then_read(long& own, const long& other) {
  wait_yielding(go_ahead, 1);
  meet();
  own = 2;  // races with main's write: this goroutine reports
  reported.fetch_add(1, std::memory_order_relaxed);
  wait_yielding(reported, 2);
  use(other);  // races with the other goroutine's payload write
}

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    wg.add(2);
    goro::go([&] {
      payload_a = 1;
      race_then_read(x_a, payload_b);
      wg.done();
    });
    goro::go([&] {
      payload_b = 1;
      race_then_read(x_b, payload_a);
      wg.done();
    });
    x_a = 1;
    x_b = 1;
    go_ahead.store(1, std::memory_order_relaxed);
    wg.wait();
  });
}
