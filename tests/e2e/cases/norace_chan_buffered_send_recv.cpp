// A send on a buffered (cap 1) channel happens before the receive that takes its value completes:
// the write before the send is ordered before the read after the receive. No race.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>(1);
    goro::go([&] {
      x = 1;
      c.send(1);
    });
    c.recv();
    use(x);
  });
}
