// The loop variable captured by value: each goroutine writes its own element a[i] with its own copy
// of i. No race.
// RUN-FLAGS: -race
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
      goro::go([i, &a, &wg] {
        a[i] = i + 1;
        wg.done();
      });
    }
    wg.wait();
    use(a[0] + a[3]);
  });
}
