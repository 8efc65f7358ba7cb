// Closing a Listener while another goroutine waits in accept wakes that accept promptly: it fails
// (std::errc::operation_canceled, per net.hpp). Closing it again does nothing, and a later accept
// fails with bad_file_descriptor. Nobody ever dials.
// OPT: -O1
// CHECK-STDOUT: blocked accept woke: operation_canceled
// CHECK-STDOUT: second close: no error
// CHECK-STDOUT: later accept: bad_file_descriptor
// CHECK-NOT: FAIL
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <system_error>

#include "net_case.hpp"

using namespace std::chrono_literals;

int main() {
  return goro::run([] {
    auto ln = goro::net::listen("127.0.0.1:0");
    auto accepting = goro::make_chan<bool>();
    auto result = goro::make_chan<std::error_code>(1);
    goro::go([&] {
      accepting.send(true);
      try {
        auto c = ln.accept();
        result.send(std::error_code{});
      } catch (const std::system_error& e) {
        result.send(e.code());
      }
    });
    accepting.recv();
    goro::sleep(100ms);  // parked in accept by now
    ln.close();

    std::error_code ec;
    const int which = goro::select(goro::recv_case(result, [&](std::error_code e) { ec = e; }),
                                   goro::recv_case(goro::after(5s)));
    if (which == 1) fail("accept was still blocked 5 s after close");
    if (!ec) fail("accept returned a connection nobody dialed");
    std::printf("blocked accept woke: %s\n",
                ec == std::errc::operation_canceled ? "operation_canceled" : ec.message().c_str());
    if (ec != std::errc::operation_canceled) fail("accept failed with another error", ec);

    std::error_code again;
    ln.close(again);
    ln.close();
    if (again) fail("a second close reported an error", again);
    std::printf("second close: no error\n");

    std::error_code later;
    auto c = ln.accept(later);
    if (later != std::errc::bad_file_descriptor || c.is_open()) fail("accept after close", later);
    std::printf("later accept: bad_file_descriptor\n");
  });
}
