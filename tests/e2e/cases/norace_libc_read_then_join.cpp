// The clean twin of race_libc_read_fills_buffer: the buffer read() filled is used after joining
// the reading thread, and fwrite and puts read their buffers with nothing writing them.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: ping
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

char g_buf[16];

int main() {
  int fds[2];
  if (pipe(fds) != 0) return 1;
  std::thread sender([&] {
    if (write(fds[1], "ping\n", 5) != 5) std::abort();
  });
  std::thread receiver([&] {
    if (read(fds[0], g_buf, 5) != 5) std::abort();
  });
  sender.join();
  receiver.join();
  std::fwrite(g_buf, 1, 5, stdout);
  std::thread t([] { std::fwrite(g_buf, 1, 0, stdout); });
  t.join();
}
