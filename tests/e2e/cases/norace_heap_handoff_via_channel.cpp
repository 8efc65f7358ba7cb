// Ownership handed over a channel: the sender fills a heap array and sends the pointer; the
// receiver writes and deletes it. Send → receive orders everything: no race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    auto c = goro::make_chan<int*>();
    goro::go([&] {
      int* p = new int[8];
      for (int i = 0; i < 8; ++i) p[i] = i;
      c.send(p);
    });
    int* q = c.recv();
    q[3] = 42;
    use(q[0] + q[3]);
    delete[] q;
  });
}
