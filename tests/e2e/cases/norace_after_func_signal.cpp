// The after_func function writes and then sends on a channel; the main goroutine receives before
// reading (Go's TestNoRaceAfterFunc3). No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <chrono>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>(1);
    goro::after_func(std::chrono::milliseconds(1), [&] {
      x = 1;
      c.send(1);
    });
    c.recv();
    use(x);
  });
}
