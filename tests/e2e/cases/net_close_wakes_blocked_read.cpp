// Closing a Conn while another goroutine waits in read on it wakes that read promptly: it fails
// with std::errc::operation_canceled (the peer stays silent and open throughout).
// OPT: -O0 -O1
// CHECK-STDOUT: blocked read woke: operation_canceled
// CHECK-NOT: FAIL
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <goro/goro.hpp>
#include <system_error>

using namespace std::chrono_literals;

[[noreturn]] void fail(const char* what, std::error_code ec = {}) {
  std::fprintf(stderr, "FAIL: %s (%s)\n", what, ec.message().c_str());
  std::fflush(nullptr);
  std::_Exit(1);
}

int main() {
  return goro::run([] {
    auto ln = goro::net::listen("127.0.0.1:0");
    auto client = goro::net::dial(ln.addr());
    auto server = ln.accept();  // silent, never closed before the end

    auto reading = goro::make_chan<bool>();
    auto result = goro::make_chan<std::error_code>(1);
    goro::go([&] {
      char buf[16];
      reading.send(true);
      try {
        client.read(buf, sizeof buf);
        result.send(std::error_code{});
      } catch (const std::system_error& e) {
        result.send(e.code());
      }
    });
    reading.recv();
    goro::sleep(100ms);  // the reader is parked in read by now
    client.close();

    std::error_code ec;
    const int which = goro::select(goro::recv_case(result, [&](std::error_code e) { ec = e; }),
                                   goro::recv_case(goro::after(5s)));
    if (which == 1) fail("the read was still blocked 5 s after close");
    if (!ec) fail("the read returned normally after close");
    if (ec != std::errc::operation_canceled) fail("the read failed with another error", ec);
    std::printf("blocked read woke: operation_canceled\n");
  });
}
