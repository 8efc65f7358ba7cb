// main_fn's return value is the exit status, stdio is flushed first (the text below has no newline
// and stdout is a pipe), and goroutines still running are abandoned, as in Go.
// EXIT: 3
// CHECK-STDOUT: spinning goroutine started; main returns 3
// CHECK-NOT: panic
#include <atomic>
#include <cstdio>
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    std::atomic<bool> started{false};
    goro::go([&started] {
      started.store(true, std::memory_order_release);
      for (;;) goro::yield();  // never finishes: the process must end anyway
    });
    while (!started.load(std::memory_order_acquire)) goro::yield();
    std::printf("spinning goroutine started; main returns %d", 3);
    return 3;
  });
}
