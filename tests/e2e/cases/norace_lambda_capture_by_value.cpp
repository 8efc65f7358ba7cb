// A lambda capturing by value owns a copy made at the go statement: the parent's later write of the
// original (a global, so it is surely a memory access) is not a race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int g_x = 1;

int main() {
  return goro::run([] {
    auto done = goro::make_chan<int>();
    goro::go([x = g_x, done] {
      use(x);
      done.send(0);
    });
    g_x = 2;
    done.recv();
  });
}
