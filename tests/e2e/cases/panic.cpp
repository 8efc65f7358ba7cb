// goro::panic throws goro::panic_error: caught, it plays Go's recover; uncaught, it prints
// "panic: <message>", the goroutine's stack, and the process exits with status 2.
// EXIT: 2
// CHECK: recovered: first
// CHECK: panic: boom
// CHECK-RE: ^goroutine 1 \[running\]:$
// CHECK-NOT: unreachable
#include <cstdio>
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    try {
      goro::panic("first");
    } catch (const goro::panic_error& e) {
      std::fprintf(stderr, "recovered: %s\n", e.what());
    }
    goro::panic("boom");
    std::fprintf(stderr, "unreachable\n");
  });
}
