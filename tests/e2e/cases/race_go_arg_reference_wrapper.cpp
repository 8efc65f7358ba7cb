// std::ref passes a reference through go's decay-copy: the goroutine's read of the referenced int
// races with the parent's later write.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_go_arg_reference_wrapper\.cpp:17\b
// CHECK: Previous
// CHECK-RE: race_go_arg_reference_wrapper\.cpp:25\b
// CHECK: Found 1 data race(s)
#include <functional>
#include <goro/goro.hpp>

#include "race_steps.hpp"

void reader(int& v) {
  await(1);
  use(v);  // access 2
  reach(2);
}

int main() {
  return goro::run([] {
    int x = 0;
    goro::go(reader, std::ref(x));
    x = 1;  // access 1
    reach(1);
    await(2);
  });
}
