// Goroutines that reach their thread's thread_local variables indirectly (through a pointer, a
// member function's `this`, a libc call) are not reported: the goroutines that run one after
// another on a thread share its thread-locals with no happens-before edge, and no two of them
// touch the variable at the same time.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// ENV: GOMAXPROCS=2
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: done
#include <cstdio>
#include <goro/goro.hpp>
#include <random>

thread_local int t_calls;
thread_local char t_label[32];

void bump(int* p) { ++*p; }

int roll() {
  static thread_local std::mt19937 rng{12345};
  return std::uniform_int_distribution<int>(1, 6)(rng);
}

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    for (int g = 0; g < 16; ++g) {
      wg.add(1);
      goro::go([&wg, g] {
        for (int i = 0; i < 20; ++i) {
          bump(&t_calls);
          std::snprintf(t_label, sizeof t_label, "g%d-%d", g, i);
          if (roll() > 6) std::printf("?");
          goro::yield();
        }
        wg.done();
      });
    }
    wg.wait();
    std::printf("done\n");
    return 0;
  });
}
