// The thread that calls goro::run happens before goroutine 1 (SPEC), and go statements order the
// rest: a global written in main() before run is read by goroutines race-free.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int g_config;

int main() {
  g_config = 42;
  return goro::run([] {
    goro::WaitGroup wg;
    wg.add(2);
    for (int g = 0; g < 2; ++g) {
      goro::go([&] {
        use(g_config);
        wg.done();
      });
    }
    wg.wait();
  });
}
