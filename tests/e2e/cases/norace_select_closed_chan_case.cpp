// A receive case that fires because its channel was closed sees the close: the write before close
// is ordered before the read after select.
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
      c.close();
    });
    bool ok = true;
    goro::select(goro::recv_case(c, [&](int, bool k) { ok = k; }), goro::recv_case(other));
    if (!ok) use(x);
  });
}
