// Unbounded recursion in a goroutine runs into the guard page below its stack: a fatal error naming
// the goroutine, its stack (the recursing function; past Go's 100 frames, "...additional frames
// elided..." and the creator), exit status 2. Not caught by the prologue check (no such check
// without the plugin), so this is the guard page and the fault handler.
//
// OPT: -O0 -O1
// EXIT: 2
// CHECK-RE: ^fatal error: stack overflow in goroutine ([2-9]|[1-9][0-9]+)$
// CHECK-RE: ^goroutine ([2-9]|[1-9][0-9]+) \[running\]:$
// CHECK-RE: recurse\(int\)
// CHECK-RE: ^\.\.\.additional frames elided\.\.\.$
// CHECK-RE: ^created by main
// CHECK-NOT: unreachable
#include <cstdio>
#include <goro/goro.hpp>

// A volatile array per frame keeps every frame real: no tail call, no loop.
__attribute__((noinline)) int recurse(int depth) {
  volatile char frame[256];
  frame[0] = static_cast<char>(depth);
  frame[255] = frame[0];
  return recurse(depth + 1) + frame[255];
}

int main() {
  return goro::run([] {
    goro::go([] { std::printf("%d\n", recurse(0)); });
    for (long i = 0; i < 50'000'000; ++i) goro::yield();  // bounded: the overflow ends the process
    std::fprintf(stderr, "unreachable: the overflow did not end the program\n");
    return 1;
  });
}
