// A race report is written on the M's system stack and takes longer than sysmon's 10 ms
// preemption tick the first time (reading the binary's DWARF). The program's translation unit
// instantiates std::string members, so the symbolizer runs instrumented code with stack checks
// there; a preemption request that lands meanwhile must neither yield from the system stack nor
// be taken for a stack overflow (it was, and the program hung inside its own fatal error).
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Found 1 data race(s)
// CHECK-NOT: fatal error
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <string>

using namespace std::chrono_literals;

int x;
std::string label;

int main() {
  return goro::run([] {
    label = "unrelated";  // instantiates basic_string::_M_replace in this translation unit
    goro::go([] { x = 1; });
    goro::sleep(20ms);
    std::printf("%d %s\n", x, label.c_str());
  });
}
