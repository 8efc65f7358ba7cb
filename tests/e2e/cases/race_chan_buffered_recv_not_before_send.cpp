// The buffered twin of norace_chan_unbuffered_recv_before_send_completes: the send completes at
// once into the buffer, and the 1st receive on a cap-1 channel is ordered only before the 2nd send.
// The receiver's write before its receive races with the sender's read after its send.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_buffered_recv_not_before_send\.cpp:23\b
// CHECK: Previous
// CHECK-RE: race_chan_buffered_recv_not_before_send\.cpp:27\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>(1);
    goro::go([&] {
      c.send(1);  // into the buffer: nobody is receiving yet
      reach(1);
      await(2);
      use(x);  // access 2
      reach(3);
    });
    await(1);
    x = 1;  // access 1
    c.recv();
    reach(2);
    await(3);
  });
}
