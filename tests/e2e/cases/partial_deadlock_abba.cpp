// Two goroutines each take one Mutex and then wait for the other's: a partial deadlock, reported
// as soon as the second one parks although main is still running (it ticks for up to 30 s), and
// fatal by default (GORODEBUG=partialdeadlock=fatal): exit 2. Each goroutine of the cycle shows
// the lock it wants, the lock it holds, and its stack down to the lock call.
// The cycle's goroutine ids are usually 2 and 3, but ids come in per-P batches, as Go's, and a
// main goroutine that moves to another P between its two go statements gives the second one
// that P's (about 1 run in 400 of the race build on a loaded machine).
// OPT: -O0 -O1 -O2
// EXIT: 2
// CHECK-RE: ^fatal error: partial deadlock: goroutines [0-9]+, [0-9]+ wait for each other's locks$
// CHECK-RE: ^goroutine [0-9]+ \[sync\.Mutex\.Lock\]:$
// CHECK-RE: ^\twants sync\.Mutex 0x[0-9a-f]+, held by goroutine [0-9]+$
// CHECK-RE: ^\tholds sync\.Mutex 0x[0-9a-f]+, wanted by goroutine [0-9]+$
// CHECK-RE: ^start_abba_pair\(goro::Mutex&, goro::Mutex&\)::\{lambda\(\)#[12]\}::operator
// CHECK-RE: ^goroutine [0-9]+ \[sync\.Mutex\.Lock\]:$
// CHECK-RE: ^start_abba_pair\(goro::Mutex&, goro::Mutex&\)::\{lambda\(\)#[12]\}::operator
// CHECK-RE: ^goroutine 1 \[
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
