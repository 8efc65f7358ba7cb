// goro::net::wait_readable with a deadline on a pipe nobody writes fails with
// std::errc::timed_out: a deadline already passed fails at once, a near one fails when it passes,
// both as a thrown std::system_error and through the std::error_code& overload. A pipe with data
// waiting and no deadline returns at once.
// OPT: -O1
// CHECK-STDOUT: passed deadline: timed_out (throwing)
// CHECK-STDOUT: passed deadline: timed_out (error_code)
// CHECK-STDOUT: near deadline: timed_out (throwing)
// CHECK-STDOUT: near deadline: timed_out (error_code)
// CHECK-STDOUT: readable pipe: returned
// CHECK-NOT: FAIL
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <system_error>

#include "net_case.hpp"

using namespace std::chrono_literals;
using clk = std::chrono::steady_clock;

void expect_timeout_throwing(int fd, goro::net::deadline t, const char* what) {
  try {
    goro::net::wait_readable(fd, t);
    fail("wait_readable returned on an empty pipe");
  } catch (const std::system_error& e) {
    if (e.code() != std::errc::timed_out) fail("wait_readable threw another error", e.code());
  }
  std::printf("%s: timed_out (throwing)\n", what);
}

void expect_timeout_ec(int fd, goro::net::deadline t, const char* what) {
  std::error_code ec;
  goro::net::wait_readable(fd, t, ec);
  if (ec != std::errc::timed_out) fail("wait_readable(ec)", ec);
  std::printf("%s: timed_out (error_code)\n", what);
}

int main() {
  return goro::run([] {
    arm_watchdog(10s);
    int fds[2];
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) fail("pipe2");
    expect_timeout_throwing(fds[0], clk::now() - 1ms, "passed deadline");
    expect_timeout_ec(fds[0], clk::now() - 1ms, "passed deadline");
    expect_timeout_throwing(fds[0], clk::now() + 30ms, "near deadline");
    expect_timeout_ec(fds[0], clk::now() + 30ms, "near deadline");

    if (write(fds[1], "r", 1) != 1) fail("write");
    std::error_code ec;
    goro::net::wait_readable(fds[0], {}, ec);
    if (ec) fail("wait_readable on a readable pipe", ec);
    std::printf("readable pipe: returned\n");
    close(fds[0]);
    close(fds[1]);
  });
}
