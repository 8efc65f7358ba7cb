// Adjacent array elements a[0] and a[1] (one 8-byte word) are different memory locations: no race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int a[2] = {};
    goro::WaitGroup wg;
    wg.add(2);
    goro::go([&] {
      a[0] = 1;
      wg.done();
    });
    goro::go([&] {
      a[1] = 2;
      wg.done();
    });
    wg.wait();
    use(a[0] + a[1]);
  });
}
