// A data race: two goroutines increment one counter without synchronisation. Built with
// `goro c++ -race`, the program reports the race with both stacks and exits with status 66.
//
//   goro run -race examples/racy.cpp
//
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: increment(int*)
// CHECK: Found 1 data race(s)
#include <cstdio>
#include <goro/goro.hpp>

void increment(int* counter) { ++*counter; }

int main() {
  return goro::run([] {
    int counter = 0;
    goro::WaitGroup wg;
    wg.add(2);
    goro::go([&] {
      increment(&counter);
      wg.done();
    });
    goro::go([&] {
      increment(&counter);
      wg.done();
    });
    wg.wait();
    std::printf("counter = %d\n", counter);
  });
}
