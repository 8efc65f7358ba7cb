// A WaitGroup counter below zero is a panic (goro::panic_error): catch plays recover; uncaught it
// prints "panic: sync: negative WaitGroup counter" with the goroutine's stack and exits 2.
// EXIT: 2
// CHECK: recovered: sync: negative WaitGroup counter
// CHECK: panic: sync: negative WaitGroup counter
// CHECK-RE: ^goroutine 1 \[running\]:$
#include <cstdio>
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    try {
      wg.done();
    } catch (const goro::panic_error& e) {
      std::fprintf(stderr, "recovered: %s\n", e.what());
    }
    goro::WaitGroup other;
    other.add(-1);
  });
}
