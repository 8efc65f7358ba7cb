// std_mutex_long_critical_sections.cpp in the race build: the detector's pthread interposers keep
// the count of held locks there, and the goroutines still never hang. The program is that case's
// own, included (its directives are not read from there).
//
// RUN-FLAGS: -race
// ENV: GOMAXPROCS=2
// EXIT: 0
// CHECK-NOT: DATA RACE
// CHECK-STDOUT: rounds 20
#include "std_mutex_long_critical_sections.cpp"
