// The channel itself is shared memory (SPEC, as in Go): close writes it, send reads it. A close not
// ordered after a send (nobody received the value) is reported as a race on the channel, naming
// both the send and the close.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_close_vs_send\.cpp:24\b
// CHECK: Previous
// CHECK-RE: race_chan_close_vs_send\.cpp:19\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    auto c = goro::make_chan<int>(1);
    goro::go([&] {
      c.send(1);  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      c.close();  // access 2
      reach(2);
    });
    await(2);
  });
}
