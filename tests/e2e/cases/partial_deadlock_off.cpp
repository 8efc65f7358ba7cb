// GORODEBUG=partialdeadlock=0 turns the check off: the ABBA cycle of partial_deadlock_abba.cpp
// goes unreported while main runs, and main returns 0.
// ENV: GORODEBUG=partialdeadlock=0
// CHECK-NOT: partial deadlock
// CHECK-STDOUT: main returns
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <mutex>

goro::Mutex a;
goro::Mutex b;

int main() {
  return goro::run([] {
    goro::WaitGroup both_hold;
    both_hold.add(2);
    goro::go([&] {
      std::lock_guard la(a);
      both_hold.done();
      both_hold.wait();
      std::lock_guard lb(b);
    });
    goro::go([&] {
      std::lock_guard lb(b);
      both_hold.done();
      both_hold.wait();
      std::lock_guard la(a);
    });
    goro::sleep(std::chrono::milliseconds(200));
    std::puts("main returns");
    return 0;
  });
}
