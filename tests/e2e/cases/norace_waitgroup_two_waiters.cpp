// Every wait released by done is ordered after it: two goroutines waiting on one WaitGroup both
// read the worker's result race-free.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::WaitGroup wg, readers;
    wg.add(1);
    readers.add(1);
    goro::go([&] {
      wg.wait();
      use(x);
      readers.done();
    });
    goro::go([&] {
      x = 1;
      wg.done();
    });
    wg.wait();
    use(x);
    readers.wait();
  });
}
