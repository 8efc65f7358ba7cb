// An unusable GORO_STACK_SIZE (below the 16 KiB minimum) is a fatal error at start-up, exit 2.
//
// ENV: GORO_STACK_SIZE=1000
// EXIT: 2
// CHECK-RE: ^fatal error: .*GORO_STACK_SIZE
// CHECK-NOT: unreachable
#include <cstdio>
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    goro::go([] {});
    std::fprintf(stderr, "unreachable: ran with GORO_STACK_SIZE=1000\n");
    return 0;
  });
}
