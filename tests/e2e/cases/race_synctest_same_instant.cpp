// The bubble's clock orders what happened before it moved, not what members do at one instant:
// two members that wake at the same fake time and write one variable race. (The second writes after
// the first in time, with no edge, as every race case stages its accesses: two writes at the same
// instant on two threads can both miss the other, a limit the guide states.)
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_synctest_same_instant\.cpp:2[0-9]\b
// CHECK: Previous write
// CHECK: Found 1 data race(s)
#include <chrono>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    using namespace std::chrono_literals;
    int shared = 0;
    goro::synctest::run([&shared] {
      goro::WaitGroup wg;
      wg.add(2);
      for (int i = 0; i < 2; ++i) {
        goro::go([&shared, &wg, i] {
          goro::sleep(1s);
          if (i == 1) await(1);
          shared = i;
          if (i == 0) reach(1);
          wg.done();
        });
      }
      wg.wait();
    });
  });
}
