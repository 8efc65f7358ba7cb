// After an unbuffered send case completes, the sender's later write is not ordered with the
// receiver's read after its receive (the receive happens before the send completes, not the other
// way round for what follows). A race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_select_send_write_after\.cpp:23\b
// CHECK: Previous
// CHECK-RE: race_select_send_write_after\.cpp:27\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>();
    auto other = goro::make_chan<int>();
    goro::go([&] {
      c.recv();
      await(1);
      use(x);  // access 2
      reach(2);
    });
    goro::select(goro::send_case(c, 1), goro::send_case(other, 2));
    x = 1;  // access 1
    reach(1);
    await(2);
  });
}
