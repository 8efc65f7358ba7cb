// The k-th receive orders what came before it, not after: a write the receiver makes after its 1st
// receive races with the sender's read after its 3rd send on a cap-2 channel.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_buffered_capN_write_after_recv\.cpp:27\b
// CHECK: Previous
// CHECK-RE: race_chan_buffered_capN_write_after_recv\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>(2);
    goro::go([&] {
      c.recv();
      x = 1;  // access 1
      reach(1);
    });
    c.send(1);
    c.send(2);
    c.send(3);
    await(1);
    use(x);  // access 2
  });
}
