// Polling with select + default until the receive case fires: the default rounds create no edges,
// the receive that finally happens does. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>(1);
    goro::go([&] {
      x = 1;
      c.send(1);
    });
    bool got = false;
    while (!got) {
      goro::select(goro::recv_case(c, [&] { got = true; }),
                   goro::default_case([] { goro::yield(); }));
    }
    use(x);
  });
}
