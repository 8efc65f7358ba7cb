// WaitGroup: each done happens before the wait it releases returns, so the main goroutine reads
// every worker's result race-free.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int a[4] = {};
    goro::WaitGroup wg;
    wg.add(4);
    for (int i = 0; i < 4; ++i) {
      goro::go([&, i] {
        a[i] = i + 1;
        wg.done();
      });
    }
    wg.wait();
    use(a[0] + a[1] + a[2] + a[3]);
  });
}
