// Listening on an address another Listener of the process holds fails with
// std::errc::address_in_use: thrown as std::system_error, or set by the std::error_code& overload
// (which returns a Listener that is not open). The first Listener keeps working, and once it is
// closed the address can be listened on again.
// OPT: -O1
// CHECK-STDOUT: throwing listen: address_in_use
// CHECK-STDOUT: error_code listen: address_in_use, is_open false
// CHECK-STDOUT: first listener still accepts
// CHECK-STDOUT: after close: listening again
// CHECK-NOT: FAIL
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <string>
#include <system_error>

#include "net_case.hpp"

using namespace std::chrono_literals;

int main() {
  return goro::run([] {
    arm_watchdog(10s);
    auto ln = goro::net::listen("127.0.0.1:0");
    const std::string addr = ln.addr();
    try {
      auto second = goro::net::listen(addr);
      fail("a second listen on the same address succeeded");
    } catch (const std::system_error& e) {
      if (e.code() != std::errc::address_in_use) fail("listen threw another error", e.code());
    }
    std::printf("throwing listen: address_in_use\n");

    std::error_code ec;
    auto second = goro::net::listen("tcp", addr, ec);
    if (ec != std::errc::address_in_use) fail("listen(ec)", ec);
    std::printf("error_code listen: address_in_use, is_open %s\n",
                second.is_open() ? "true" : "false");
    if (second.is_open()) fail("a failed listen returned an open Listener");

    auto c = goro::net::dial(addr);
    auto s = ln.accept();
    std::printf("first listener still accepts\n");
    s.close();
    c.close();
    ln.close();

    std::error_code again;
    auto third = goro::net::listen(addr, again);
    if (again) fail("listening again after close", again);
    std::printf("after close: listening again on %s\n", third.addr().c_str());
  });
}
