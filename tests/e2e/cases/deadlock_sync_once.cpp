// Calling Once::call again from inside its own function blocks forever: with nothing else to run,
// that is a global deadlock, reported like Go's (the Once's inner Mutex).
// EXIT: 2
// CHECK: fatal error: all goroutines are asleep - deadlock!
// CHECK-RE: ^goroutine 1 \[sync\.Mutex\.Lock\]:$
// CHECK-STDOUT: outer call started
// CHECK-NOT: inner call ran
#include <cstdio>
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    goro::Once once;
    once.call([&] {
      std::printf("outer call started\n");
      std::fflush(stdout);
      once.call([] { std::printf("inner call ran\n"); });
    });
  });
}
