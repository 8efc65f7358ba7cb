// Two goroutines started in a loop from one by-reference lambda both update the captured counter:
// the same source line races with itself.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_lambda_shared_capture_loop\.cpp:20\b
// CHECK: Previous
// CHECK-RE: race_lambda_shared_capture_loop\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int counter = 0;
    for (int g = 1; g <= 2; ++g) {
      goro::go([&counter, g] {
        await(g - 1);
        counter += g;  // access 1, 2
        reach(g);
      });
    }
    await(2);
  });
}
