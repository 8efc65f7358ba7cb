// write() reads the caller's buffer: one thread writes a message to a file descriptor, another
// thread then modifies the message with no synchronisation -> one race (read by write(), then a
// plain store).
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_libc_write_call_reads_buffer\.cpp:38\b
// CHECK: Previous
// CHECK-RE: race_libc_write_call_reads_buffer\.cpp:33\b
// CHECK: Found 1 data race(s)
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <thread>

// Orders the two accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) std::this_thread::yield();
}

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
