// Capturing a pointer by value copies the pointer only: the int it points to is shared, and the
// goroutine's read races with the parent's later write.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_lambda_capture_pointer_by_value\.cpp:20\b
// CHECK: Previous
// CHECK-RE: race_lambda_capture_pointer_by_value\.cpp:23\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    int* p = &x;
    goro::go([p] {
      await(1);
      use(*p);  // access 2
      reach(2);
    });
    x = 1;  // access 1
    reach(1);
    await(2);
  });
}
