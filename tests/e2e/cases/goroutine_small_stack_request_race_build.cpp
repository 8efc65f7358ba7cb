// goroutine_small_stack_request in the race build, whose hooks need more stack than the C
// library's first call: there a 4 KiB stack of its own ended in "fatal error while writing a
// report".
//
// RUN-FLAGS: -race
// OPT: -O0 -O2
// CHECK-STDOUT: 1000 goroutines formatted 1000 lines on 4 KiB stack requests
// CHECK-NOT: stack overflow
// CHECK-NOT: fatal error
#include "small_stack_request.hpp"

int main() { return format_lines_on_small_stack_requests(); }
