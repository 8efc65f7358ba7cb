// As race_chan_buffered_recv_not_before_send, but the receiver is already blocked when the value is
// sent, so the runtime hands it over directly. The memory model does not change: on a cap-1 channel
// the 1st receive orders only the 2nd send, so this 1st send is not ordered after the receiver's
// earlier write. A race (Go's detector simulates the buffer slot here).
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_buffered_handoff_recv_not_before_send\.cpp:25\b
// CHECK: Previous
// CHECK-RE: race_chan_buffered_handoff_recv_not_before_send\.cpp:28\b
// CHECK: Found 1 data race(s)
#include <chrono>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>(1);
    goro::go([&] {
      await(1);
      goro::sleep(std::chrono::milliseconds(20));  // lets the receiver block first
      c.send(1);
      use(x);  // access 2
      reach(2);
    });
    x = 1;  // access 1
    reach(1);
    c.recv();
    await(2);
  });
}
