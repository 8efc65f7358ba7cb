// after_func runs its function in its own goroutine, started by the timer: like a go statement, the
// call orders what came before it before the function runs (Go's race detector has this edge for
// time.AfterFunc). No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <chrono>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto done = goro::make_chan<int>();
    x = 1;
    goro::after_func(std::chrono::milliseconds(1), [&] {
      use(x);
      done.send(0);
    });
    done.recv();
  });
}
