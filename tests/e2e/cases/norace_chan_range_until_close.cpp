// Ranging over a channel until it is closed: each element is written before its send, and the total
// before close, which happens before the receive that ends the loop. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int a[3] = {};
    int total = 0;
    auto c = goro::make_chan<int>(1);
    goro::go([&] {
      for (int i = 0; i < 3; ++i) {
        a[i] = i + 1;
        c.send(i);
      }
      total = 6;
      c.close();
    });
    for (int i : c) use(a[i]);
    use(total);
  });
}
