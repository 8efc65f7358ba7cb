// The go statement happens before the goroutine starts (Go memory model): a write before go is
// ordered before the goroutine's read.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto done = goro::make_chan<int>();
    x = 1;
    goro::go([&] {
      use(x);
      done.send(0);
    });
    done.recv();
  });
}
