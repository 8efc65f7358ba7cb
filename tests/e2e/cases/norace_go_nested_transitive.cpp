// Happens-before is transitive through nested go statements: the write before the outer go is
// ordered before the inner goroutine's read.
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
      goro::go([&] {
        use(x);
        done.send(0);
      });
    });
    done.recv();
  });
}
