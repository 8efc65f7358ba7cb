// The safe-point check reads the guard afresh at every loop back-edge (a preemption request set
// while a loop runs is seen by the next iteration), and deep recursion reaches the slow path before
// the stack runs out. Built with and without -race.
#include <csetjmp>
#include <cstdint>

#include "check.hpp"
#include "fake_runtime.h"

volatile int ticks;
std::jmp_buf overflow_exit;
std::uintptr_t overflow_sp;

// "sysmon" asks for a yield. Out of line: a function that touches thread_local has no safe points.
__attribute__((noinline)) void request_preemption() { __goro_stack_guard = UINTPTR_MAX; }

__attribute__((noinline)) void spin(int n) {
  for (int i = 0; i < n; ++i) {
    ticks = ticks + 1;
    if (i == n / 2) request_preemption();  // mid-loop: the next back-edge must see it
  }
}

__attribute__((noinline)) int deep(int n) {
  volatile char frame[256];
  frame[0] = static_cast<char>(n);
  return deep(n + 1) + frame[0];
}

// Runtime code: no safe point of its own (it runs below the guard).
__attribute__((annotate("goro.noinstr"))) void on_overflow(std::uintptr_t sp, std::uintptr_t) {
  overflow_sp = sp;
  std::longjmp(overflow_exit, 1);
}

int main() {
  unsigned long slow = __goro_fake.stack_check_slow;
  spin(1000);
  CHECK(__goro_fake.stack_check_slow == slow + 1);  // the fake "yields" once and clears the guard
  CHECK(__goro_stack_guard == 0);

  // A guard 256 KiB below here: the recursion must stop there, well inside the 8 MiB main stack.
  char here;
  std::uintptr_t limit = reinterpret_cast<std::uintptr_t>(&here) - (256 << 10);
  goro_fake_on_overflow = on_overflow;
  if (setjmp(overflow_exit) == 0) {
    __goro_stack_guard = limit;
    deep(0);
    CHECK(false);
  }
  __goro_stack_guard = 0;
  CHECK(overflow_sp < limit && overflow_sp > limit - 4096);
  return finish();
}
