// Sending a pointer hands over the heap object only if the sender stops using it: the sender writes
// the int after the send, the receiver writes it after the receive. A race on the heap int.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_heap_write_after_send_pointer\.cpp:25\b
// CHECK: Previous
// CHECK-RE: race_heap_write_after_send_pointer\.cpp:20\b
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    auto c = goro::make_chan<int*>();
    goro::go([&] {
      int* p = new int(0);
      c.send(p);
      *p = 1;  // access 1
      reach(1);
    });
    int* q = c.recv();
    await(1);
    *q = 2;  // access 2
  });
}
