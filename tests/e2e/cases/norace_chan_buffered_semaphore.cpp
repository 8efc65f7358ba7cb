// A cap-1 channel used as a lock (Go memory model: the k-th receive on a channel with capacity C
// happens before the (k+C)-th send completes). Each goroutine sends to enter and receives to leave,
// so one goroutine's increment is ordered before the other's. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto sem = goro::make_chan<int>(1);
    goro::WaitGroup wg;
    wg.add(2);
    for (int g = 0; g < 2; ++g) {
      goro::go([&] {
        sem.send(0);  // acquire
        ++x;
        sem.recv();  // release: the k-th receive happens before the (k+1)-th send completes
        wg.done();
      });
    }
    wg.wait();
    use(x);
  });
}
