// fatal_nil_deref.cpp in the race build: the runtime's SIGSEGV handler reaches the program through
// the detector's signal-handler wrapper (detector/src/signals.cpp) with the signal's details and
// context intact, so the nil pointer dereference reads exactly as in the plain build. The program
// is that case's own, included (its directives are not read from there).
//
// RUN-FLAGS: -race
// EXIT: 2
// CHECK: panic: runtime error: invalid memory address or nil pointer dereference
// CHECK-RE: ^\[signal SIGSEGV: segmentation violation code=0x[0-9a-f]+ addr=(0x)?0 pc=0x
// CHECK-RE: ^goroutine ([2-9]|[1-9][0-9]+) \[running\]:$
// CHECK-RE: store_through\(int\*, int\)
// CHECK-RE: fatal_nil_deref\.cpp:[0-9]+
// CHECK-NOT: unreachable
// CHECK-NOT: DATA RACE
#include "fatal_nil_deref.cpp"
