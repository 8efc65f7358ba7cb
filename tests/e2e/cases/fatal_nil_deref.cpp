// A write through a null pointer in a goroutine is Go's nil pointer dereference: a panic with the
// signal's details and the faulting goroutine's stack, exit status 2.
// (fatal_nil_deref_go_format.cpp checks the signal line's exact Go spelling.)
//
// OPT: -O0 -O1 -O2
// EXIT: 2
// CHECK: panic: runtime error: invalid memory address or nil pointer dereference
// CHECK-RE: ^\[signal SIGSEGV: segmentation violation code=0x[0-9a-f]+ addr=(0x)?0 pc=0x
// CHECK-RE: ^goroutine ([2-9]|[1-9][0-9]+) \[running\]:$
// CHECK-RE: store_through\(int\*, int\)
// CHECK-RE: fatal_nil_deref\.cpp:[0-9]+
// CHECK-NOT: unreachable
#include <atomic>
#include <cstdio>
#include <goro/goro.hpp>

int* volatile g_target = nullptr;  // volatile: the compiler cannot see that it is null

__attribute__((noinline)) void store_through(int* p, int v) { *p = v; }

int main() {
  return goro::run([] {
    goro::go([] { store_through(g_target, 42); });
    for (long i = 0; i < 50'000'000; ++i) goro::yield();  // bounded: the fault ends the process
    std::fprintf(stderr, "unreachable: the nil write did not end the program\n");
    return 1;
  });
}
