// On a buffered (cap 1) channel, a write after the send is not ordered before the receiver's read
// after its receive: a race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_buffered_write_after_send\.cpp:25\b
// CHECK: Previous
// CHECK-RE: race_chan_buffered_write_after_send\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>(1);
    goro::go([&] {
      c.send(1);
      x = 1;  // access 1
      reach(1);
    });
    c.recv();
    await(1);
    use(x);  // access 2
  });
}
