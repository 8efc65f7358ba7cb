// go(f, args...) copies the arguments at the go statement, as Go evaluates them: the goroutine
// reads its own copy, so the parent's later write of the original is not a race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int g_x = 1;

void reader(int v, goro::chan<int> done) {
  use(v);
  done.send(0);
}

int main() {
  return goro::run([] {
    auto done = goro::make_chan<int>();
    goro::go(reader, g_x, done);  // g_x is read here, by the parent
    g_x = 2;
    done.recv();
  });
}
