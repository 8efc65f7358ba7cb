// A goroutine's write before it starts a child is ordered before the child's write: the same
// variable written by parent and child is not a race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto done = goro::make_chan<int>();
    goro::go([&] {
      x = 1;
      goro::go([&] {
        x = 2;
        done.send(0);
      });
    });
    done.recv();
    use(x);
  });
}
