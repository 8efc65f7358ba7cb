// Listener::set_deadline bounds accept: with nobody dialing, accept fails with timed_out once the
// deadline passes (both overloads); a later deadline lets the next accept take a connection.
// OPT: -O1
// CHECK-STDOUT: accept: timed_out (throwing)
// CHECK-STDOUT: accept: timed_out (error_code)
// CHECK-STDOUT: accept after a later deadline: connected
// CHECK-NOT: FAIL
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
    auto ln = goro::net::listen("127.0.0.1:0");
    ln.set_deadline(clk::now() + 30ms);
    try {
      auto c = ln.accept();
      fail("accept returned a connection nobody dialed");
    } catch (const std::system_error& e) {
      if (e.code() != std::errc::timed_out) fail("accept threw another error", e.code());
    }
    std::printf("accept: timed_out (throwing)\n");
    std::error_code ec;
    ln.set_deadline(clk::now() + 30ms);
    auto none = ln.accept(ec);
    if (ec != std::errc::timed_out || none.is_open()) fail("accept(ec)", ec);
    std::printf("accept: timed_out (error_code)\n");

    ln.set_deadline(clk::now() + 10s);
    goro::go([addr = ln.addr()] {
      goro::sleep(20ms);
      auto c = goro::net::dial(addr);
      c.write("x", 1);
    });
    auto c = ln.accept();
    char b;
    if (c.read(&b, 1) != 1 || b != 'x') fail("no byte from the dialer");
    std::printf("accept after a later deadline: connected\n");
  });
}
