// goro::net::wait_readable parks the goroutine (not its thread) until a non-blocking pipe of the
// program's own becomes readable: on one P, a writer goroutine first makes 1,000 channel round
// trips with a third goroutine, sleeps, then writes a byte, which the waiter then reads.
// ENV: GOMAXPROCS=1
// OPT: -O1
// CHECK-STDOUT: round trips before the write: 1000
// CHECK-STDOUT: waiter read: z
// CHECK-NOT: FAIL
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <system_error>

#include "net_case.hpp"

using namespace std::chrono_literals;

int main() {
  return goro::run([] {
    arm_watchdog(10s);
    int fds[2];
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) fail("pipe2");
    char c;
    if (read(fds[0], &c, 1) != -1) fail("an empty pipe had data");

    auto ping = goro::make_chan<int>();
    auto pong = goro::make_chan<int>();
    goro::go([=] {
      for (;;) pong.send(ping.recv() + 1);
    });
    goro::go([=] {
      int trips = 0;
      for (int i = 0; i < 1000; ++i) {
        ping.send(i);
        if (pong.recv() == i + 1) ++trips;
      }
      std::printf("round trips before the write: %d\n", trips);
      goro::sleep(20ms);
      if (write(fds[1], "z", 1) != 1) fail("write");
    });

    goro::net::wait_readable(fds[0]);
    if (read(fds[0], &c, 1) != 1) fail("wait_readable returned but the pipe is empty");
    std::printf("waiter read: %c\n", c);
    close(fds[0]);
    close(fds[1]);
  });
}
