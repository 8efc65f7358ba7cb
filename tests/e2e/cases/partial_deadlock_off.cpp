// GORODEBUG=partialdeadlock=0 turns the check off: the ABBA cycle of partial_deadlock_abba.cpp
// goes unreported while main runs, and main returns 0.
// ENV: GORODEBUG=partialdeadlock=0
// CHECK-NOT: partial deadlock
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
    goro::sleep(std::chrono::milliseconds(200));
    std::puts("main returns");
    return 0;
  });
}
