// Goroutine 1 runs on its own 8 MiB stack with a guard page: unbounded recursion there is reported
// as a stack overflow in goroutine 1, exit status 2.
//
// OPT: -O0 -O2
// EXIT: 2
// CHECK-RE: ^fatal error: stack overflow in goroutine 1$
// CHECK-RE: ^goroutine 1 \[running\]:$
// CHECK-RE: descend\(int\)
// CHECK-NOT: unreachable
#include <cstdio>
#include <goro/goro.hpp>

__attribute__((noinline)) int descend(int depth) {
  volatile char frame[512];
  frame[0] = static_cast<char>(depth);
  frame[511] = frame[0];
  return descend(depth + 1) + frame[511];
}

int main() {
  return goro::run([] {
    int r = descend(0);
    std::fprintf(stderr, "unreachable: %d\n", r);
    return 1;
  });
}
