// fatal_nil_deref.cpp in the race build: the runtime's SIGSEGV handler reaches the program through
// the detector's signal-handler wrapper (detector/src/signals.cpp) with the signal's details and
// context intact, so the nil pointer dereference reads exactly as in the plain build.
//
// RUN-FLAGS: -race
// EXIT: 2
// CHECK: panic: runtime error: invalid memory address or nil pointer dereference
// CHECK-RE: ^\[signal SIGSEGV: segmentation violation code=0x[0-9a-f]+ addr=(0x)?0 pc=0x
// CHECK-RE: ^goroutine ([2-9]|[1-9][0-9]+) \[running\]:$
// CHECK-RE: store_through\(int\*, int\)
// CHECK-RE: fatal_nil_deref_race_build\.cpp:[0-9]+
// CHECK-NOT: unreachable
// CHECK-NOT: DATA RACE
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
