// A receive case taken by select is a receive: the write before the matching send is ordered before
// the read after select returns.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>();
    auto other = goro::make_chan<int>();
    goro::go([&] {
      x = 1;
      c.send(1);
    });
    goro::select(goro::recv_case(c), goro::recv_case(other));
    use(x);
  });
}
