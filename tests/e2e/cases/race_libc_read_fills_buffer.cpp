// read() writes the bytes it returns into the caller's buffer: another thread reading that buffer
// with no ordering after the call races with it (the pipe's write-to-read edge orders the writer's
// past, not the reader's buffer against a third thread).
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Read at
// CHECK-RE: race_libc_read_fills_buffer\.cpp:33\b
// CHECK: Previous write at
// CHECK: read
// CHECK-RE: race_libc_read_fills_buffer\.cpp:28\b
// CHECK: Found 1 data race(s)
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "race_steps_threads.hpp"

char g_buf[16];

int main() {
  int fds[2];
  if (pipe(fds) != 0) return 1;
  if (write(fds[1], "ping", 4) != 4) return 1;
  std::thread receiver([&] {
    if (read(fds[0], g_buf, sizeof g_buf) != 4) std::abort();  // access 1
    reach(1);
  });
  std::thread peeker([] {
    await(1);
    volatile char c = g_buf[2];  // access 2
    (void)c;
  });
  receiver.join();
  peeker.join();
}
