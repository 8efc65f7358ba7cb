// An after_func callback's goroutine is started by the timer, on the runtime's stack: its "created
// at" names the program's after_func call and the frames under it, not the runtime's frames that
// started it.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Write at
// CHECK-RE: race_after_func_created_at_names_the_call\.cpp:37\b
// CHECK: Previous write at
// CHECK: schedule()::$_0::operator()() const
// CHECK-RE: race_after_func_created_at_names_the_call\.cpp:28\b
// CHECK-RE: ^Goroutine \d+ \((running|finished)\) created at:$
// CHECK-RE: ^  schedule\(\)$
// CHECK-RE: race_after_func_created_at_names_the_call\.cpp:27\b
// CHECK-RE: ^  main::\$_\d+::operator\(\)\(\) const$
// CHECK-RE: race_after_func_created_at_names_the_call\.cpp:35\b
// CHECK: Found 1 data race(s)
// CHECK-NOT: goro::
#include <goro/goro.hpp>

#include "race_steps.hpp"

int counter;

goro::Timer schedule() {
  return goro::after_func(std::chrono::milliseconds(1), [] {
    counter = 1;
    reach(1);
  });
}

int main() {
  return goro::run([] {
    goro::Timer timer = schedule();
    await(1);
    counter = 2;
  });
}
