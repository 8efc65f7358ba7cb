// Closing a channel happens before a receive that returns because the channel is closed (Go memory
// model), so the write before close is ordered before the read after that receive.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>();
    goro::go([&] {
      x = 1;
      c.close();
    });
    if (!c.recv_ok()) use(x);  // the receive saw the close
  });
}
