// new/delete reuse across goroutines ordered only in time: each round a goroutine creates, writes
// and deletes a Node, then the main goroutine does the same (usually with the same memory). Deleted
// memory is fresh: no race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <atomic>
#include <goro/goro.hpp>

#include "race_steps.hpp"

void escape(void* p) { asm volatile("" : : "r"(p) : "memory"); }  // keeps the block and stores

struct Node {
  int v[16];
};

int main() {
  return goro::run([] {
    for (int round = 1; round <= 20; ++round) {
      goro::go([] {  // captures nothing: only the Node is shared memory
        const int r = step.load(std::memory_order_relaxed) + 1;
        auto* n = new Node;
        n->v[3] = r;
        escape(n);
        delete n;
        reach(r);
      });
      await(round);
      auto* m = new Node;
      m->v[3] = -round;
      escape(m);
      delete m;
    }
  });
}
