// Unlocking an unlocked Mutex is a fatal error, not a panic: a catch-all does not stop it. The
// report names the goroutine and the line of the bad unlock; the exit status is 2.
// EXIT: 2
// CHECK: fatal error: sync: unlock of unlocked mutex
// CHECK-RE: ^goroutine 1 \[running\]:$
// CHECK-RE: sync_fatal_misuse\.cpp:17
// CHECK-NOT: caught
#include <cstdio>
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    goro::Mutex mu;
    mu.lock();
    mu.unlock();
    try {
      mu.unlock();
    } catch (...) {
      std::fprintf(stderr, "caught\n");
    }
  });
}
