// SIGQUIT prints every goroutine and exits 2, as Go does. Goroutine 1 raises the signal itself and
// keeps running (sleeping in the C library, not in blocking()), so it is shown as running with no
// stack; the other goroutine is runnable (GOMAXPROCS=1 and goroutine 1 never yields again) and its
// stack and creator are shown.
//
// ENV: GOMAXPROCS=1
// OPT: -O0 -O2
// EXIT: 2
// CHECK: SIGQUIT: quit
// CHECK-RE: ^PC=0x[0-9a-f]+ m=[0-9]+ sigcode=-?[0-9]+$
// CHECK-RE: ^goroutine 1 \[running\]:$
// CHECK: goroutine running on other thread; stack unavailable
// CHECK-RE: ^goroutine ([2-9]|[1-9][0-9]+) \[runnable\]:$
// CHECK-RE: spin_politely\(\)
// CHECK-RE: ^created by .* in goroutine 1$
// CHECK-NOT: unreachable
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <goro/goro.hpp>

std::atomic<bool> started{false};

__attribute__((noinline)) void spin_politely() {
  for (;;) {
    started.store(true);
    goro::yield();
  }
}

int main() {
  return goro::run([] {
    goro::go(spin_politely);
    while (!started.load()) goro::yield();
    raise(SIGQUIT);
    for (int i = 0; i < 3000; ++i) usleep(10 * 1000);  // bounded: 30 s
    std::fprintf(stderr, "unreachable: SIGQUIT did not end the program\n");
    return 1;
  });
}
