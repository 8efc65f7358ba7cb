// The race build takes every lock out of line, through the detector's hooks: the holder is
// recorded there too, and the ABBA cycle is reported the same way (exit 2, not the race exit 66).
// The cycle's goroutine ids are usually 2 and 3, but ids come in per-P batches, as Go's, and a
// main goroutine that moves to another P between its two go statements gives the second one
// that P's (about 1 run in 400 of the race build on a loaded machine).
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 2
// CHECK-RE: ^fatal error: partial deadlock: goroutines [0-9]+, [0-9]+ wait for each other's locks$
// CHECK-RE: ^\twants sync\.Mutex 0x[0-9a-f]+, held by goroutine [0-9]+$
// CHECK-NOT: DATA RACE
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>

#include "abba_pair.hpp"

goro::Mutex a;
goro::Mutex b;

int main() {
  return goro::run([] {
    start_abba_pair(a, b);
    for (int i = 0; i < 3000; ++i) goro::sleep(std::chrono::milliseconds(10));
    std::puts("not detected");
    return 0;
  });
}
