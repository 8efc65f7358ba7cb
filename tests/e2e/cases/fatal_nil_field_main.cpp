// Reading a field through a null struct pointer faults at a small non-zero address: still a nil
// pointer dereference, here in goroutine 1.
//
// OPT: -O0 -O2
// EXIT: 2
// CHECK: panic: runtime error: invalid memory address or nil pointer dereference
// CHECK-RE: ^\[signal SIGSEGV: segmentation violation code=0x[0-9a-f]+ addr=0x[0-9a-f]+ pc=0x
// CHECK-RE: ^goroutine 1 \[running\]:$
// CHECK-RE: read_field\(record( const)?\*\)
// CHECK-NOT: unreachable
#include <cstdio>
#include <goro/goro.hpp>

struct record {
  long header[40];
  int value;  // at offset 320: the fault address is 0x140, inside the first page
};

record* volatile g_record = nullptr;

__attribute__((noinline)) int read_field(const record* r) { return r->value; }

int main() {
  return goro::run([] {
    int v = read_field(g_record);
    std::fprintf(stderr, "unreachable: read %d through a null pointer\n", v);
    return 1;
  });
}
