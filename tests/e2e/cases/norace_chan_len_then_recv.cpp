// The twin of race_chan_len_no_edge: after polling len() the reader receives the value, and the
// receive orders the write before the send. No race.
// RUN-FLAGS: -race
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
    while (c.len() == 0) goro::yield();
    c.recv();
    use(x);
  });
}
