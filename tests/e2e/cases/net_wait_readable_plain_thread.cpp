// goro::net::wait_readable called from a std::thread (not a goroutine) while the runtime runs:
// per net.hpp the calling thread waits, until a goroutine writes to the pipe after a sleep; with
// a passed deadline it fails with timed_out there too. Not a fatal error.
// OPT: -O1
// CHECK-STDOUT: thread: passed deadline timed_out
// CHECK-STDOUT: thread: readable, read q
// CHECK-NOT: fatal error
// CHECK-NOT: FAIL
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <system_error>
#include <thread>

#include "net_case.hpp"

using namespace std::chrono_literals;

int main() {
  return goro::run([] {
    arm_watchdog(10s);
    int fds[2];
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) fail("pipe2");
    auto waiting = goro::make_chan<bool>(1);
    auto finished = goro::make_chan<bool>(1);
    std::thread t([&] {
      std::error_code ec;
      goro::net::wait_readable(fds[0], std::chrono::steady_clock::now() - 1ms, ec);
      if (ec != std::errc::timed_out) fail("thread: passed deadline", ec);
      std::printf("thread: passed deadline timed_out\n");
      std::fflush(stdout);
      waiting.try_send(true);
      goro::net::wait_readable(fds[0]);
      char c = 0;
      if (read(fds[0], &c, 1) != 1) fail("thread: readable but empty");
      std::printf("thread: readable, read %c\n", c);
      finished.try_send(true);
    });
    waiting.recv();
    goro::sleep(50ms);
    if (write(fds[1], "q", 1) != 1) fail("write");
    finished.recv();
    t.join();
  });
}
