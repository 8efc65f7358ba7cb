// Precision probe: for an errno glibc knows, GNU strerror_r returns its static message and does
// not touch the caller's buffer at all, so another thread writing that buffer right after is not
// a race (ThreadSanitizer marks the buffer written only when the result points into it).
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 0
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: static 1 text Invalid argument buffer Z
#include <errno.h>
#include <string.h>

#include <cstdio>
#include <thread>

#include "race_steps_threads.hpp"

char buffer[64];
const char* text;

int main() {
  std::thread describer([] {
    text = strerror_r(EINVAL, buffer, sizeof buffer);  // returns glibc's string, buffer unused
    reach(1);
  });
  std::thread writer([] {
    await(1);
    buffer[0] = 'Z';
  });
  describer.join();
  writer.join();
  std::printf("static %d text %s buffer %c\n", text != buffer, text, buffer[0]);
}
