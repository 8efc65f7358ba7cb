// Passing a pointer as a go argument copies the pointer, not the int: the parent's write after go
// races with the goroutine's read through the pointer.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_go_arg_pointer\.cpp:16\b
// CHECK: Previous
// CHECK-RE: race_go_arg_pointer\.cpp:24\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

void reader(int* p) {
  await(1);
  use(*p);  // access 2
  reach(2);
}

int main() {
  return goro::run([] {
    int x = 0;
    goro::go(reader, &x);
    x = 1;  // access 1
    reach(1);
    await(2);
  });
}
