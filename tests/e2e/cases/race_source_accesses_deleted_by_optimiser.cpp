// With -fplugin-arg-goro-source-accesses the race build checks every access of the source, also
// those the optimiser deletes: a racy read whose value is unused and a copy into a buffer nothing
// reads afterwards. Without the option, at -O2 the read is deleted before the late instrumentation
// runs, so only the copy's race is reported.
// RUN-FLAGS: -race -fplugin-arg-goro-source-accesses
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_source_accesses_deleted_by_optimiser\.cpp:(29|30)\b
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_source_accesses_deleted_by_optimiser\.cpp:(29|30)\b
// CHECK: Found 2 data race(s)
#include <cstring>
#include <goro/goro.hpp>

#include "race_steps.hpp"

int shared;
char buffer[64];

int main() {
  return goro::run([] {
    goro::go([] {
      shared = 1;
      std::memset(buffer, 1, sizeof buffer);
      reach(1);
    });
    await(1);  // after the goroutine's accesses in time, with no edge from them
    [[maybe_unused]] int unused = shared;
    std::memcpy(buffer, "some text to copy", 16);
  });
}
