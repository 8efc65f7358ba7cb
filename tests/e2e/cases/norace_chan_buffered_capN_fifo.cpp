// Several values through a cap-4 channel: each send happens before the receive of its value, so the
// element written before each send is read race-free after that value's receive.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int a[4] = {};
    auto c = goro::make_chan<int>(4);
    goro::go([&] {
      for (int i = 0; i < 4; ++i) {
        a[i] = i + 1;
        c.send(i);
      }
    });
    for (int k = 0; k < 4; ++k) use(a[c.recv()]);
  });
}
