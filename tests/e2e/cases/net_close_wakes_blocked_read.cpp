// Closing a Conn while another goroutine waits in read on it wakes that read promptly: it fails
// with std::errc::operation_canceled (the peer stays silent and open throughout).
// OPT: -O1
// CHECK-STDOUT: blocked read woke: operation_canceled
// CHECK-NOT: FAIL
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <system_error>

#include "net_case.hpp"

using namespace std::chrono_literals;

int main() {
  return goro::run([] {
    auto tcp = connected_pair();  // server: silent, never closed before the end

    auto reading = goro::make_chan<bool>();
    auto result = goro::make_chan<std::error_code>(1);
    goro::go([&] {
      char buf[16];
      reading.send(true);
      try {
        tcp.client.read(buf, sizeof buf);
        result.send(std::error_code{});
      } catch (const std::system_error& e) {
        result.send(e.code());
      }
    });
    reading.recv();
    goro::sleep(100ms);  // the reader is parked in read by now
    tcp.client.close();

    std::error_code ec;
    const int which = goro::select(goro::recv_case(result, [&](std::error_code e) { ec = e; }),
                                   goro::recv_case(goro::after(5s)));
    if (which == 1) fail("the read was still blocked 5 s after close");
    if (!ec) fail("the read returned normally after close");
    if (ec != std::errc::operation_canceled) fail("the read failed with another error", ec);
    std::printf("blocked read woke: operation_canceled\n");
  });
}
