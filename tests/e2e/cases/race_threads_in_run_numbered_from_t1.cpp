// Plain threads a goroutine starts are numbered from T1, as in a program without goroutines: the
// runtime's own threads (the SIGQUIT reporter, sysmon, the stack preparer) take no number.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK-RE: ^Write at 0x[0-9a-f]+ by thread T2:$
// CHECK-RE: ^Previous write at 0x[0-9a-f]+ by thread T1:$
// CHECK-RE: ^Thread T2 \((running|finished)\) created at:$
// CHECK-RE: ^Thread T1 \((running|finished)\) created at:$
// CHECK: Found 1 data race(s)
#include <goro/goro.hpp>
#include <thread>

#include "race_steps.hpp"

int shared;

int main() {
  return goro::run([] {
    std::thread first([] {
      shared = 1;
      reach(1);
    });
    await(1);  // first has started (and taken its number) before second exists
    std::thread second([] { shared = 2; });
    goro::blocking([&] {
      first.join();
      second.join();
    });
  });
}
