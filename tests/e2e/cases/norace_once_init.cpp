// Once: the function's return happens before every call returns (Go memory model), so both
// goroutines read the value it initialised race-free.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::Once once;
    goro::WaitGroup wg;
    wg.add(2);
    for (int g = 0; g < 2; ++g) {
      goro::go([&] {
        once.call([&] { x = 42; });
        use(x);
        wg.done();
      });
    }
    wg.wait();
  });
}
