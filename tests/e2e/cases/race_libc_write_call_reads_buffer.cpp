// write() reads the caller's buffer: one thread writes a message to a file descriptor, another
// thread then modifies the message with no synchronisation -> one race (read by write(), then a
// plain store).
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_libc_write_call_reads_buffer\.cpp:32\b
// CHECK: Previous
// CHECK-RE: race_libc_write_call_reads_buffer\.cpp:27\b
// CHECK: Found 1 data race(s)
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

#include "race_steps_threads.hpp"

char message[32] = "status: ok\n";
int sink_fd;

int main() {
  sink_fd = open("/dev/null", O_WRONLY);
  if (sink_fd < 0) return 1;
  std::thread logger([] {
    if (write(sink_fd, message, 11) != 11) std::abort();  // access 1
    reach(1);
  });
  std::thread editor([] {
    await(1);
    message[8] = 'O';  // access 2
  });
  logger.join();
  editor.join();
  close(sink_fd);
}
