// len() observes the buffered value but creates no ordering (SPEC: len/cap create no ordering; only
// the receive does). Reading x after seeing len() == 1 races with the write before the send.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_len_no_edge\.cpp:23\b
// CHECK: Previous
// CHECK-RE: race_chan_len_no_edge\.cpp:19\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>(1);
    goro::go([&] {
      x = 1;  // access 1
      c.send(1);
    });
    while (c.len() == 0) goro::yield();
    use(x);  // access 2
  });
}
