// The signal line of a nil pointer dereference is spelled as Go spells it: every number in hex with
// a 0x prefix, also a zero address ("addr=0x0", which printf's %#x would print as "0").
//
// EXIT: 2
// CHECK: panic: runtime error: invalid memory address or nil pointer dereference
// CHECK-RE: ^\[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x[0-9a-f]+\]$
// CHECK-RE: ^goroutine 1 \[running\]:$
#include <cstdio>
#include <goro/goro.hpp>

int* volatile g_target = nullptr;

__attribute__((noinline)) void store_through(int* p, int v) { *p = v; }

int main() {
  return goro::run([] {
    store_through(g_target, 1);
    std::fprintf(stderr, "unreachable\n");
    return 1;
  });
}
