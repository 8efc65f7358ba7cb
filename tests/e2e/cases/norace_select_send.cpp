// A send case taken by select is a send: the write before select is ordered before the read after
// the matching receive.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>();
    auto done = goro::make_chan<int>();
    goro::go([&] {
      c.recv();
      use(x);
      done.send(0);
    });
    x = 1;
    goro::select(goro::send_case(c, 1));
    done.recv();
  });
}
