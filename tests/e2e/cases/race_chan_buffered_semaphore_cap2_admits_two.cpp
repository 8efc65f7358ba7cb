// The same "lock" with capacity 2 admits two goroutines: the 1st receive orders only the 3rd send,
// so the 2nd goroutine's send is not ordered after the 1st goroutine's critical section. A race.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_chan_buffered_semaphore_cap2_admits_two\.cpp:28\b
// CHECK: Previous
// CHECK-RE: race_chan_buffered_semaphore_cap2_admits_two\.cpp:21\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto sem = goro::make_chan<int>(2);
    goro::go([&] {
      sem.send(0);
      x = 1;  // access 1
      sem.recv();
      reach(1);
    });
    goro::go([&] {
      await(1);
      sem.send(0);  // the 2nd send: no receive is ordered before it
      x = 2;        // access 2
      sem.recv();
      reach(2);
    });
    await(2);
  });
}
