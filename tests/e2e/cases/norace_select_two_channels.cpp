// Two selects over two channels receive from both senders: each receive orders its own sender's
// write, so both reads are race-free.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int a = 0, b = 0;
    auto ca = goro::make_chan<int>();
    auto cb = goro::make_chan<int>();
    goro::go([&] {
      a = 1;
      ca.send(1);
    });
    goro::go([&] {
      b = 1;
      cb.send(1);
    });
    for (int i = 0; i < 2; ++i) goro::select(goro::recv_case(ca), goro::recv_case(cb));
    use(a + b);
  });
}
