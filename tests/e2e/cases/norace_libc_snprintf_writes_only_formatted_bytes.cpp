// snprintf writes only the characters it produces and the terminating NUL, not the whole size it
// was given: one thread formats "id=42" (6 bytes) into the front of a 32-byte buffer while another
// thread writes byte 24 of the same buffer at about the same time. Disjoint bytes, no race
// (ThreadSanitizer marks min(result + 1, size) bytes as written).
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 0
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: line id=42 tail Z
#include <cstdio>
#include <thread>

#include "race_steps_threads.hpp"

char line[32];
int id = 42;

int main() {
  std::thread formatter([] {
    std::snprintf(line, sizeof line, "id=%d", id);  // writes line[0..5]
    reach(1);
  });
  std::thread tail([] {
    await(1);
    line[24] = 'Z';  // unsynchronised, but past the formatted bytes
  });
  formatter.join();
  tail.join();
  std::printf("line %s tail %c\n", line, line[24]);
}
