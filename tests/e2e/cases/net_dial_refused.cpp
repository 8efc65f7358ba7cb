// Dialing a port on 127.0.0.1 where nothing listens fails with std::errc::connection_refused:
// thrown as std::system_error, or set in the std::error_code& overload, which returns a Conn that
// is not open. The port comes from a listener that was closed just before.
// OPT: -O1
// CHECK-STDOUT: throwing dial: connection_refused
// CHECK-STDOUT: error_code dial: connection_refused, is_open false
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
    std::string addr;
    {
      auto ln = goro::net::listen("127.0.0.1:0");
      addr = ln.addr();
      ln.close();
    }
    try {
      auto c = goro::net::dial(addr);
      fail("dial to a closed port succeeded");
    } catch (const std::system_error& e) {
      if (e.code() != std::errc::connection_refused) fail("dial threw another error", e.code());
    }
    std::printf("throwing dial: connection_refused\n");

    std::error_code ec;
    auto c = goro::net::dial(addr, ec);
    if (ec != std::errc::connection_refused) fail("the error_code dial", ec);
    std::printf("error_code dial: connection_refused, is_open %s\n",
                c.is_open() ? "true" : "false");
    if (c.is_open()) fail("a failed dial returned an open Conn");
  });
}
