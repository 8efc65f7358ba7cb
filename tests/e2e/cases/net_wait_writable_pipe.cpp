// goro::net::wait_writable on a non-blocking pipe: an empty pipe is writable at once; once the
// pipe is full, waiting with a near deadline fails with timed_out, and waiting without one parks
// until another goroutine drains the pipe, after which a write succeeds.
// OPT: -O1
// CHECK-STDOUT: empty pipe: writable
// CHECK-STDOUT: full pipe with a deadline: timed_out
// CHECK-STDOUT: full pipe: writable after the reader drained it
// CHECK-NOT: FAIL
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <system_error>

#include "net_case.hpp"

using namespace std::chrono_literals;
using clk = std::chrono::steady_clock;

int main() {
  return goro::run([] {
    arm_watchdog(10s);
    int fds[2];
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) fail("pipe2");
    goro::net::wait_writable(fds[1]);
    std::printf("empty pipe: writable\n");

    char block[4096] = {};
    long filled = 0;
    for (;;) {
      const ssize_t n = write(fds[1], block, sizeof block);
      if (n < 0) {
        if (errno == EAGAIN) break;
        fail("write");
      }
      filled += n;
      if (filled > (64L << 20)) fail("the pipe never filled");
    }
    std::error_code ec;
    goro::net::wait_writable(fds[1], clk::now() + 30ms, ec);
    if (ec != std::errc::timed_out) fail("wait_writable on a full pipe with a deadline", ec);
    std::printf("full pipe with a deadline: timed_out\n");

    goro::go([fds, filled] {
      goro::sleep(30ms);
      char sink[4096];
      long drained = 0;
      while (drained < filled) {
        const ssize_t n = read(fds[0], sink, sizeof sink);
        if (n <= 0) break;
        drained += n;
      }
    });
    goro::net::wait_writable(fds[1]);
    if (write(fds[1], "w", 1) != 1) fail("write after wait_writable");
    std::printf("full pipe: writable after the reader drained it\n");
  });
}
