// Handing a std::vector over a channel transfers its heap buffer: the sender filled it before the
// send, the receiver writes it after the receive. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>
#include <vector>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    auto c = goro::make_chan<std::vector<int>>();
    goro::go([c] {
      std::vector<int> v(100, 1);
      c.send(std::move(v));
    });
    auto v = c.recv();
    v[50] = 2;
    use(v[0] + v[50]);
  });
}
