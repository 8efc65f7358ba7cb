// GNU strerror_r writes the caller's buffer when it has to format the message ("Unknown error N"
// for an errno it does not know): one thread does that into a shared buffer, another thread then
// reads the buffer with no synchronisation -> one race.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_libc_strerror_r_fills_buffer_for_unknown_errno\.cpp:30\b
// CHECK: Previous
// CHECK-RE: race_libc_strerror_r_fills_buffer_for_unknown_errno\.cpp:24\b
// CHECK: Found 1 data race(s)
#include <string.h>

#include <cstdio>
#include <thread>

#include "race_steps_threads.hpp"

char message[64];
bool into_buffer;

int main() {
  std::thread describer([] {
    char* text = strerror_r(12345, message, sizeof message);  // access 1
    into_buffer = text == message;
    reach(1);
  });
  std::thread reader([] {
    await(1);
    char first = message[0];  // access 2
    std::printf("first %c\n", first);
  });
  describer.join();
  reader.join();
  std::printf("into buffer %d\n", into_buffer);
}
