// A nil dereference in a goroutine's lambda, which the optimiser inlines into the runtime's call of
// the closure: the traceback still shows the lambda and the faulting line (the faulting pc is the
// instruction itself, not a return address, and must be looked up as such).
//
// OPT: -O0 -O1 -O2
// EXIT: 2
// CHECK: panic: runtime error: invalid memory address or nil pointer dereference
// CHECK-RE: ^goroutine \d+ \[running\]:$
// CHECK-RE: ^main::\$_0::operator\(\)\(\) const::\{lambda\(\)#1\}::operator\(\)\(\) const$
// CHECK-RE: fatal_nil_deref_in_inlined_lambda\.cpp:22\b
// CHECK-NOT: unreachable
#include <cstdint>
#include <cstdio>
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    auto done = goro::make_chan<int>();
    goro::go([done] {
      volatile int* field =
          reinterpret_cast<volatile int*>(std::uintptr_t{16});  // a member of null
      std::printf("%d\n", *field);
      std::fprintf(stderr, "unreachable\n");
      done.send(0);
    });
    done.recv();
  });
}
