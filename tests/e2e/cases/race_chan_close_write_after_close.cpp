// close orders what came before it only: a write after close races with the read after the receive
// that saw the close.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_close_write_after_close\.cpp:25\b
// CHECK: Previous
// CHECK-RE: race_chan_close_write_after_close\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>();
    goro::go([&] {
      c.close();
      x = 1;  // access 1
      reach(1);
    });
    c.recv();  // sees the close
    await(1);
    use(x);  // access 2
  });
}
