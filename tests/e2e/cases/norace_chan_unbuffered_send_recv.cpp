// A write before an unbuffered send happens before the matching receive completes (Go memory model:
// a send is synchronized before the completion of its receive), so the receiver's read of x is
// ordered after the sender's write: no race.
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
      c.send(1);
    });
    c.recv();
    use(x);
  });
}
