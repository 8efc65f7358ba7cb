// On an unbuffered channel the receive happens before the send completes (Go memory model), so a
// write the receiver makes before receiving is ordered before the sender's read after its send
// returns: no race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>();
    auto done = goro::make_chan<int>();
    goro::go([&] {
      c.send(1);
      use(x);
      done.send(0);
    });
    x = 1;
    c.recv();
    done.recv();
  });
}
