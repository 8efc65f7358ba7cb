// GORO_STACK_SIZE sets the default goroutine stack size: with 256 KiB, a goroutine can use a
// 192 KiB frame (with the 64 KiB default it would overflow).
//
// ENV: GORO_STACK_SIZE=262144
// OPT: -O0 -O2
// CHECK-STDOUT: touched 196608 bytes of stack in a goroutine
// CHECK-NOT: stack overflow
// CHECK-NOT: panic
#include <atomic>
#include <cstdio>
#include <goro/goro.hpp>

__attribute__((noinline)) long touch_stack() {
  volatile char big[192 * 1024];
  long touched = 0;
  for (long i = static_cast<long>(sizeof big) - 1; i >= 0;
       i -= 256) {  // top to bottom, like growth
    big[i] = 1;
    touched += 256;
  }
  big[0] = 1;
  return touched;
}

int main() {
  return goro::run([] {
    std::atomic<long> touched{0};
    goro::go([&touched] { touched.store(touch_stack()); });
    for (long i = 0; i < 50'000'000 && touched.load() == 0; ++i) goro::yield();
    std::printf("touched %ld bytes of stack in a goroutine\n", touched.load());
    return touched.load() == 192 * 1024 ? 0 : 1;
  });
}
