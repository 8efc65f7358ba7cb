// Stack reuse with several goroutines at a time: waves of four goroutines, each writing its own
// deep-ish local buffers; the next wave starts when the previous one has exited (in time only, no
// edge). No false race on the recycled stacks.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <atomic>
#include <goro/goro.hpp>

#include "race_steps.hpp"

std::atomic<int> finished{0};  // relaxed only: no edge

__attribute__((noinline)) void touch(char* p, int n) {
  for (int i = 0; i < n; i += 64) p[i] = static_cast<char>(i);
}
__attribute__((noinline)) void nest(int depth) {
  char buf[2048];
  touch(buf, sizeof buf);
  if (depth > 0) nest(depth - 1);
  use(buf[depth * 64]);
}

int main() {
  return goro::run([] {
    for (int wave = 1; wave <= 8; ++wave) {
      for (int g = 0; g < 4; ++g) {
        goro::go([] {
          nest(4);
          finished.fetch_add(1, std::memory_order_relaxed);
        });
      }
      while (finished.load(std::memory_order_relaxed) < 4 * wave) goro::yield();
      while (goro::num_goroutine() > 1) goro::yield();
    }
  });
}
