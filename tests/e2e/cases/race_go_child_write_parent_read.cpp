// A goroutine's write after it started is not ordered with the parent's unsynchronised read: a
// race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_go_child_write_parent_read\.cpp:22\b
// CHECK: Previous
// CHECK-RE: race_go_child_write_parent_read\.cpp:18\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    goro::go([&] {
      x = 1;  // access 1
      reach(1);
    });
    await(1);
    use(x);  // access 2
  });
}
