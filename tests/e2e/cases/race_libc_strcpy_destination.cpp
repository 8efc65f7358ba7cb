// strcpy writes its destination and snprintf writes the text it formats: two threads formatting
// into one shared buffer with no lock race (reported once: the second call's write against the
// first's). At -O1 the strcpy of a literal is a memcpy, checked as one; the line is the same.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Write at
// CHECK: snprintf
// CHECK-RE: race_libc_strcpy_destination\.cpp:29\b
// CHECK: Previous write at
// CHECK-RE: race_libc_strcpy_destination\.cpp:24\b
// CHECK: Found 1 data race(s)
#include <cstdio>
#include <cstring>
#include <thread>

#include "race_steps_threads.hpp"

char g_status[64];

int main(int argc, char**) {
  std::thread a([] {
    std::strcpy(g_status, "starting");  // access 1
    reach(1);
  });
  std::thread b([argc] {
    await(1);
    std::snprintf(g_status, sizeof g_status, "running %d", argc);  // access 2
  });
  a.join();
  b.join();
}
