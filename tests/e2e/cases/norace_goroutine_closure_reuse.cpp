// Goroutines started one after another, each capturing a value: the runtime keeps a closure inside
// the goroutine's record and recycles records. The new goroutine's closure is built (by the parent)
// where the finished one's was read, with no edge between them; recycled memory is fresh, as in Go,
// where each closure is a new allocation. No false race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>

#include "race_steps.hpp"

int main() {
  return goro::run([] {
    for (int round = 1; round <= 20; ++round) {
      goro::go([round] {
        use(round);
        reach(round);
      });
      await(round);
      while (goro::num_goroutine() > 1) goro::yield();  // it exited: its record may be reused
    }
  });
}
