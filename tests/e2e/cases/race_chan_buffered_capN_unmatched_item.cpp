// A send is ordered before the receive of its own value only. The sender writes b between its 1st
// and 2nd send on a cap-4 channel; the receiver takes the 1st value only, so its read of a is
// ordered but its read of b races.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_buffered_capN_unmatched_item\.cpp:29\b
// CHECK: Previous
// CHECK-RE: race_chan_buffered_capN_unmatched_item\.cpp:22\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int a = 0, b = 0;
    auto c = goro::make_chan<int>(4);
    goro::go([&] {
      a = 1;
      c.send(1);
      b = 1;  // access 1
      c.send(2);
      reach(1);
    });
    c.recv();  // the 1st value: ordered after `a = 1` only
    use(a);
    await(1);
    use(b);  // access 2
  });
}
