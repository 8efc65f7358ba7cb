// A write the sender makes after its unbuffered send has completed is not ordered with what the
// receiver does after its receive: the send orders only what came before it. A race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_unbuffered_write_after_send\.cpp:25\b
// CHECK: Previous
// CHECK-RE: race_chan_unbuffered_write_after_send\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>();
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
