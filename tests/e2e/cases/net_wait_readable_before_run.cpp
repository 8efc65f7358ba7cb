// goro::net::wait_readable called before goro::run, from main's own thread: per net.hpp the
// calling thread waits (it is not a goroutine), here until a std::thread writes to the pipe after
// a sleep; then the program starts the runtime as usual.
// OPT: -O1
// CHECK-STDOUT: before run: readable, read p
// CHECK-STDOUT: in run
// CHECK-NOT: fatal error
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <system_error>
#include <thread>

int main() {
  int fds[2];
  if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) return 1;
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (write(fds[1], "p", 1) != 1) std::perror("write");
  });
  try {
    goro::net::wait_readable(fds[0], std::chrono::steady_clock::now() + std::chrono::seconds(10));
  } catch (const std::system_error& e) {
    std::fprintf(stderr, "FAIL: wait_readable before run: %s\n", e.what());
    return 1;
  }
  char c = 0;
  if (read(fds[0], &c, 1) != 1) {
    std::fprintf(stderr, "FAIL: readable but empty\n");
    return 1;
  }
  writer.join();
  std::printf("before run: readable, read %c\n", c);
  return goro::run([] { std::printf("in run\n"); });
}
