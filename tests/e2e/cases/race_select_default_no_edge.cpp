// A select that takes its default case received nothing and synchronises with nobody: the read
// after it races with the other goroutine's write.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_select_default_no_edge\.cpp:25\b
// CHECK: Previous
// CHECK-RE: race_select_default_no_edge\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c = goro::make_chan<int>();
    goro::go([&] {
      x = 1;  // access 1
      reach(1);
    });
    await(1);
    goro::select(goro::recv_case(c), goro::default_case());  // nothing was sent: default
    use(x);                                                  // access 2
  });
}
