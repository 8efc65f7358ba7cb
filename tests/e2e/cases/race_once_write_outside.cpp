// Once orders only its function: a write after call() returns in one goroutine races with the read
// after call() in another.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_once_write_outside\.cpp:26\b
// CHECK: Previous
// CHECK-RE: race_once_write_outside\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::Once once;
    goro::go([&] {
      once.call([] {});
      x = 1;  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      once.call([] {});
      use(x);  // access 2
      reach(2);
    });
    await(2);
  });
}
