// go_with_stack gives a stack of at least the size asked: a request below the default gets the
// default stack, wherever the goroutine's G lives. Goroutines started from a thread of the
// program's own get their stacks only when they first run; those once got a 4 KiB stack of their
// own, and overflowed in their first call into the C library (a bare SIGSEGV).
//
// OPT: -O0 -O2
// CHECK-STDOUT: 1000 goroutines formatted 1000 lines on 4 KiB stack requests
// CHECK-NOT: stack overflow
#include "small_stack_request.hpp"

int main() { return format_lines_on_small_stack_requests(); }
