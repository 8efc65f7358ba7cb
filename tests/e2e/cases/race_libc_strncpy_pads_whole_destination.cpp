// strncpy writes all n bytes of its destination: after copying a short string it pads the rest
// with NULs. One thread strncpy's a 2-character string into a 16-byte buffer, another thread then
// reads byte 12 of the buffer (a padding byte) with no synchronisation -> one race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_libc_strncpy_pads_whole_destination\.cpp:30\b
// CHECK: Previous
// CHECK-RE: race_libc_strncpy_pads_whole_destination\.cpp:25\b
// CHECK: Found 1 data race(s)
#include <cstdio>
#include <cstring>
#include <thread>

#include "race_steps_threads.hpp"

char source[8];
char field[16];

int main() {
  std::snprintf(source, sizeof source, "%s", "ab");
  std::memset(field, 'x', sizeof field);
  std::thread copier([] {
    std::strncpy(field, source, sizeof field);  // access 1
    reach(1);
  });
  std::thread reader([] {
    await(1);
    int padding = field[12];  // access 2
    std::printf("padding %d\n", padding);
  });
  copier.join();
  reader.join();
}
