// GORODEBUG=partialdeadlock=warn: the cycle of partial_deadlock_abba.cpp is reported once and the
// program goes on: main's ticker keeps ticking and main returns 0.
// The cycle's goroutine ids are usually 2 and 3, but ids come in per-P batches, as Go's, and a
// main goroutine that moves to another P between its two go statements gives the second one
// that P's (about 1 run in 400 of the race build on a loaded machine).
// ENV: GORODEBUG=partialdeadlock=warn
// CHECK-RE: ^WARNING: partial deadlock: goroutines [0-9]+, [0-9]+ wait for each other's locks
// CHECK-RE: ^\twants sync\.Mutex 0x[0-9a-f]+, held by goroutine [0-9]+$
// CHECK-NOT: fatal error
// CHECK-STDOUT: tick 99
// CHECK-STDOUT: main returns
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>

#include "abba_pair.hpp"

goro::Mutex a;
goro::Mutex b;

int main() {
  return goro::run([] {
    start_abba_pair(a, b);
    for (int i = 0; i < 100; ++i) {
      goro::sleep(std::chrono::milliseconds(10));
      std::printf("tick %d\n", i);
    }
    std::puts("main returns");
    return 0;
  });
}
