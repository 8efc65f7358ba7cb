// A goroutine's end is not a synchronisation (as in Go): waiting until num_goroutine() shows it has
// exited orders nothing, so the read races with the goroutine's write.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_goroutine_exit_no_edge\.cpp:21\b
// CHECK: Previous
// CHECK-RE: race_goroutine_exit_no_edge\.cpp:18\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::go([&] {
      x = 1;  // access 1
    });
    while (goro::num_goroutine() > 1) goro::yield();
    use(x);  // access 2
  });
}
