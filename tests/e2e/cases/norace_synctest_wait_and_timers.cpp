// synctest's happens-before edges, as Go's race build has them: what a member did before it
// blocked durably happens before synctest::wait() returns, before the timers the bubble's clock
// then fires (an after_func's goroutine) and what a sleeper does once the clock has moved, and,
// once it has returned, before synctest::run returns.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 0
// CHECK: after_func saw 1, wait saw 2, run saw 3
// CHECK-NOT: DATA RACE
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    using namespace std::chrono_literals;
    int by_member = 0;
    int in_after_func = 0;
    int after_wait = 0;
    goro::synctest::run([&] {
      auto never = goro::make_chan<int>();
      goro::go([&by_member, never] {
        by_member = 1;
        never.recv();  // durably blocked until main closes it
        by_member = 3;
      });
      goro::synctest::wait();
      goro::after_func(1s, [&] { in_after_func = by_member; });
      goro::sleep(2s);
      by_member = 2;
      goro::synctest::wait();
      after_wait = by_member;
      never.close();
    });
    std::fprintf(stderr, "after_func saw %d, wait saw %d, run saw %d\n", in_after_func, after_wait,
                 by_member);
  });
}
