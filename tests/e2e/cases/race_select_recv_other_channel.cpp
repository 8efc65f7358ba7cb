// The edge comes from the case taken only: select received from c2, whose sender never synchronised
// with the writer of x (which would signal on c1, later). The read races with the write.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_select_recv_other_channel\.cpp:30\b
// CHECK: Previous
// CHECK-RE: race_select_recv_other_channel\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    int x = 0;
    auto c1 = goro::make_chan<int>();
    auto c2 = goro::make_chan<int>();
    goro::go([&] {
      x = 1;  // access 1
      reach(1);
      await(2);
      c1.send(1);
    });
    goro::go([&] {
      await(1);
      c2.send(2);
    });
    goro::select(goro::recv_case(c1), goro::recv_case(c2));  // c2: c1 is sent after step 2
    use(x);                                                  // access 2
    reach(2);
    c1.recv();
  });
}
