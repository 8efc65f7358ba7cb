// A goroutine's reads of go()'s arguments go unchecked only when it takes them by value or const
// reference; a parameter bound by rvalue reference is the closure's own storage, which the
// goroutine may write and lend: its read races with the write of the goroutine it lent it to.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Write at
// CHECK-RE: race_goroutine_argument_lent_by_reference\.cpp:23\b
// CHECK: Previous read at
// CHECK-RE: race_goroutine_argument_lent_by_reference\.cpp:26\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    goro::go(
        [](long&& count) {
          goro::go([&count] {
            await(1);
            count = 1;  // access 2
            reach(2);
          });
          use(count);  // access 1
          reach(1);
          await(2);
        },
        0L);
    await(2);
  });
}
