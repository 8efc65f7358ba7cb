// An exception escaping a goroutine's function is Go's unrecovered panic: "panic: <what()>", then
// the goroutine's stack from the throw site (the function that threw is named, with its file), its
// creator, and exit status 2. What the program wrote to stdout before is flushed first.
//
// OPT: -O0 -O2
// EXIT: 2
// CHECK-STDOUT: checking the disk
// CHECK: panic: disk on fire
// CHECK-RE: ^goroutine ([2-9]|[1-9][0-9]+) \[running\]:$
// CHECK-RE: check_disk\(int\)
// CHECK-RE: ^\s+.*panic_escape\.cpp:[0-9]+ \+0x[0-9a-f]+$
// CHECK-RE: ^created by .* in goroutine 1$
// CHECK-NOT: unreachable
// CHECK-NOT: terminate called
#include <cstdio>
#include <goro/goro.hpp>
#include <stdexcept>
#include <string>

__attribute__((noinline)) void check_disk(int sector) {
  if (sector >= 0) throw std::runtime_error("disk on fire");
}

int main() {
  return goro::run([] {
    std::printf("checking the disk");  // no newline: stays in stdio's buffer (stdout is a pipe)
    goro::go([] { check_disk(7); });
    for (long i = 0; i < 50'000'000; ++i) goro::yield();  // bounded: the panic ends the process
    std::fprintf(stderr, "unreachable: the goroutine's exception did not end the program\n");
    return 1;
  });
}
