// Sleep plus real synchronisation: whatever the sleeps, the channel receive orders the write. No
// race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <chrono>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>();
    goro::go([&] {
      goro::sleep(std::chrono::milliseconds(5));
      x = 1;
      c.send(1);
    });
    goro::sleep(std::chrono::milliseconds(1));
    c.recv();
    use(x);
  });
}
