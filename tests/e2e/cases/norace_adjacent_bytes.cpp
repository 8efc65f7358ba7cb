// Adjacent bytes of one char array (same 8-byte word) are different memory locations: the detector
// tracks accesses per byte, so writing b[0] and b[1] concurrently is not a race.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    alignas(8) char b[8] = {};
    goro::WaitGroup wg;
    wg.add(2);
    goro::go([&] {
      b[0] = 1;
      wg.done();
    });
    goro::go([&] {
      b[1] = 2;
      wg.done();
    });
    wg.wait();
    use(b[0] + b[1]);
  });
}
