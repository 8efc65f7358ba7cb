// A function-local static with a dynamic initialiser is initialised once, thread-safely (C++
// [stmt.dcl]): goroutines calling the function concurrently read the initialised value race-free.
// (Beyond SPEC's list: the guard is libstdc++'s __cxa_guard_*; TSan models it.)
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int g_seed = 41;

__attribute__((noinline)) int compute() { return g_seed + 1; }

int& config() {
  static int value = compute();
  return value;
}

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    wg.add(2);
    for (int g = 0; g < 2; ++g) {
      goro::go([&] {
        use(config());
        wg.done();
      });
    }
    wg.wait();
  });
}
