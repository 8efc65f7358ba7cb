// The k-th receive on a cap-C channel happens before the (k+C)-th send completes: on a cap-2
// channel the 3rd send cannot complete before the 1st receive, so the receiver's write before that
// receive is ordered before the sender's read after its 3rd send. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>(2);
    goro::go([&] {
      x = 1;
      c.recv();  // the 1st receive
    });
    c.send(1);
    c.send(2);
    c.send(3);  // the 3rd send: completes only after the 1st receive
    use(x);
  });
}
