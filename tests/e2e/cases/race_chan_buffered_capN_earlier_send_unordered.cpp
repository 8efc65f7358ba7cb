// On a cap-2 channel the 1st receive happens before the 3rd send completes, not the 2nd: the
// sender's 1st and 2nd sends complete without waiting, so a write before the 1st receive is not
// ordered before the sender's read after its 2nd send. A race (a detector with one clock per
// channel would miss it).
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_buffered_capN_earlier_send_unordered\.cpp:30\b
// CHECK: Previous
// CHECK-RE: race_chan_buffered_capN_earlier_send_unordered\.cpp:22\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>(2);
    goro::go([&] {
      await(1);
      x = 1;     // access 1
      c.recv();  // the 1st receive: it orders only the 3rd send
      reach(2);
    });
    c.send(1);
    c.send(2);  // both into the buffer, before the receive
    reach(1);
    await(2);
    use(x);  // access 2
  });
}
