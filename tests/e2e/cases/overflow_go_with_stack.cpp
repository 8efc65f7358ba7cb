// A goroutine started with go_with_stack gets its own mapping with a guard page: unbounded
// recursion there is reported as a stack overflow in that goroutine, exit status 2.
//
// OPT: -O0 -O2
// EXIT: 2
// CHECK-RE: ^fatal error: stack overflow in goroutine ([2-9]|[1-9][0-9]+)$
// CHECK-RE: ^goroutine ([2-9]|[1-9][0-9]+) \[running\]:$
// CHECK-RE: plunge\(int\)
// CHECK-NOT: unreachable
#include <atomic>
#include <cstdio>
#include <goro/goro.hpp>

__attribute__((noinline)) int plunge(int depth) {
  volatile char frame[384];
  frame[0] = static_cast<char>(depth);
  frame[383] = frame[0];
  return plunge(depth + 1) + frame[383];
}

int main() {
  return goro::run([] {
    std::atomic<bool> small_done{false};
    // A first 1 MiB goroutine finishes and returns its stack to the pool; the second usually reuses
    // it, and the guard page must still be there.
    goro::go_with_stack(1 << 20, [&small_done] { small_done.store(true); });
    while (!small_done.load()) goro::yield();
    goro::go_with_stack(1 << 20, [] { std::printf("%d\n", plunge(0)); });
    for (long i = 0; i < 50'000'000; ++i) goro::yield();  // bounded: the overflow ends the process
    std::fprintf(stderr, "unreachable: the overflow did not end the program\n");
    return 1;
  });
}
