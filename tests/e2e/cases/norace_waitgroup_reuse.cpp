// A WaitGroup reused for several rounds (add after the previous wait returned): each round's done
// happens before that round's wait returns. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::WaitGroup wg;
    for (int round = 1; round <= 3; ++round) {
      wg.add(1);
      goro::go([&, round] {
        x = round;
        wg.done();
      });
      wg.wait();
      use(x);
    }
  });
}
