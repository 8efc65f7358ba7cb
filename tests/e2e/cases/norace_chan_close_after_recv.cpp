// A close ordered after the send (the closer received the sent value first: send happens before the
// receive completes) is not a race on the channel.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    auto c = goro::make_chan<int>(1);
    goro::go([&] { c.send(1); });
    c.recv();
    c.close();
  });
}
