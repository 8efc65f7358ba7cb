// A goroutine that reads through a wild pointer, far from address 0, ends the program as Go's
// throw does: "unexpected fault address", "fatal error: fault", the signal line, the faulting
// goroutine with the line that faulted, then the other goroutines (main, in its receive or still
// running on the other P); exit status 2. (A fault in the
// first page is a nil dereference, a panic: fatal_nil_deref.cpp.) Plain build only: the race
// build's shadow reservation covers this address.
//
// OPT: -O0 -O1 -O2
// EXIT: 2
// CHECK-RE: ^unexpected fault address 0x123456789000$
// CHECK-RE: ^fatal error: fault$
// CHECK-RE: ^\[signal SIGSEGV: segmentation violation code=0x1 addr=0x123456789000 pc=0x
// CHECK-RE: ^goroutine \d+ \[running\]:$
// CHECK-RE: ^main::\$_0::operator\(\)\(\) const::\{lambda\(\)#1\}::operator\(\)\(\) const$
// CHECK-RE: fatal_fault_unexpected_address\.cpp:27\b
// CHECK-RE: ^goroutine 1 \[
// CHECK-NOT: unreachable
#include <cstdint>
#include <cstdio>
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    auto done = goro::make_chan<int>();
    goro::go([done] {
      auto* volatile wild = reinterpret_cast<int*>(std::uintptr_t{0x123456789000});
      std::printf("%d\n", *wild);
      std::fprintf(stderr, "unreachable\n");
      done.send(0);
    });
    done.recv();
  });
}
