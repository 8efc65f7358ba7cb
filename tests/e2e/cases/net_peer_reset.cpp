// A peer that closes with SO_LINGER {on, 0} resets the connection: a read waiting on it fails
// (connection_reset), and a write afterwards fails with an error too (connection_reset or
// broken_pipe) instead of killing the process with SIGPIPE, which Go never lets a socket do.
// OPT: -O1
// CHECK-STDOUT: read after reset: error
// CHECK-STDOUT: write after reset: error
// CHECK-STDOUT: still alive
// CHECK-NOT: FAIL
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <system_error>
#include <vector>

#include "net_case.hpp"

using namespace std::chrono_literals;

int main() {
  return goro::run([] {
    arm_watchdog(10s);
    auto tcp = connected_pair();

    goro::go([&tcp] {
      goro::sleep(50ms);  // the client is waiting in read by now
      linger lg{1, 0};
      if (setsockopt(tcp.server.native_handle(), SOL_SOCKET, SO_LINGER, &lg, sizeof lg) != 0)
        fail("setsockopt SO_LINGER");
      tcp.server.close();
    });

    char buf[16];
    std::error_code ec;
    const std::size_t n = tcp.client.read(buf, sizeof buf, ec);
    if (!ec) fail(n == 0 ? "read saw a clean end of stream, not a reset" : "read returned data");
    std::printf("read after reset: error %s%s\n", ec.message().c_str(),
                ec == std::errc::connection_reset ? " (connection_reset)" : "");
    if (ec != std::errc::connection_reset) fail("read failed with an unexpected error", ec);

    // Several writes: the first may be accepted by the kernel before the reset is noticed.
    const std::vector<char> data(4096, 'x');
    std::error_code wec;
    for (int i = 0; i < 100 && !wec; ++i) {
      tcp.client.write(data.data(), data.size(), wec);
      if (!wec) goro::sleep(1ms);
    }
    if (!wec) fail("100 writes to a reset connection all succeeded");
    std::printf("write after reset: error %s\n", wec.message().c_str());
    if (wec != std::errc::connection_reset && wec != std::errc::broken_pipe)
      fail("write failed with an unexpected error", wec);
    std::printf("still alive\n");
  });
}
