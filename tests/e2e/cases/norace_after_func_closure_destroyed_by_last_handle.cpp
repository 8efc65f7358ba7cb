// An after_func callback reads the state its closure captured; the closure is destroyed when the
// timer's last owner lets go, here the Timer handle, dropped by main long after the callback ran
// and with no synchronisation with it. The runtime's reference count orders the two, so the
// destruction (a free of the captured vector and string) is no race.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: tick 3
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <string>
#include <vector>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    {
      std::vector<int> big(10, 3);
      std::string name = "tick";
      goro::Timer t = goro::after_func(std::chrono::milliseconds(1), [big, name] {
        std::printf("%s %d\n", name.c_str(), big[2]);
        reach(1);
      });
      await(1);  // the callback has printed (no edge: the reference count gives the one needed)
      goro::sleep(std::chrono::milliseconds(50));
    }  // t's last handle: the closure is destroyed here
    return 0;
  });
}
