// Heap reuse: one goroutine writes and frees a block, then signals; another goroutine then mallocs
// (often getting the same memory back) and writes it. Freed memory is fresh when reused: no race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <cstdlib>
#include <goro/goro.hpp>

void escape(void* p) { asm volatile("" : : "r"(p) : "memory"); }  // keeps the block and stores

int main() {
  return goro::run([] {
    auto c = goro::make_chan<int>();
    goro::go([&] {
      for (int round = 0; round < 20; ++round) {
        auto* p = static_cast<int*>(std::malloc(64 * sizeof(int)));
        p[0] = p[63] = round;
        escape(p);
        std::free(p);
        c.send(round);
      }
    });
    for (int round = 0; round < 20; ++round) {
      c.recv();
      auto* q = static_cast<int*>(std::malloc(64 * sizeof(int)));
      q[0] = q[63] = -round;
      escape(q);
      std::free(q);
    }
  });
}
