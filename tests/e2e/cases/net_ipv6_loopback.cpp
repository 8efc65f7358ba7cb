// A Listener on "[::1]:0" accepts a dial to its address and carries a round trip; its addresses
// are written as Go writes IPv6 ones: "[::1]:NNNN". On a machine without an IPv6 loopback (listen
// fails with address_not_available or address_family_not_supported) the case notes it and passes.
// OPT: -O1
// CHECK-STDOUT-RE: ^(ipv6 round trip ok|no IPv6 loopback here: skipped)
// CHECK-NOT: FAIL
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <regex>
#include <string>
#include <system_error>

#include "net_case.hpp"

using namespace std::chrono_literals;

int main() {
  return goro::run([] {
    arm_watchdog(10s);
    std::error_code ec;
    auto ln = goro::net::listen("[::1]:0", ec);
    if (ec == std::errc::address_not_available || ec == std::errc::address_family_not_supported) {
      std::printf("no IPv6 loopback here: skipped (%s)\n", ec.message().c_str());
      return 0;
    }
    if (ec) fail("listen [::1]:0", ec);
    const std::regex v6(R"(\[::1\]:[1-9][0-9]*)");
    const std::string addr = ln.addr();
    std::printf("listener %s\n", addr.c_str());
    if (!std::regex_match(addr, v6)) fail("Listener::addr() is not [::1]:port: " + addr);

    auto client = goro::net::dial(addr);
    auto server = ln.accept();
    const std::string cl = client.local_addr(), cr = client.remote_addr();
    const std::string sl = server.local_addr(), sr = server.remote_addr();
    std::printf("client %s -> %s, server %s <- %s\n", cl.c_str(), cr.c_str(), sl.c_str(),
                sr.c_str());
    if (cr != addr || sl != addr)
      fail("the connection's server side is not the listener's address");
    if (!std::regex_match(cl, v6) || cl != sr) fail("the client's address is not [::1]:port");

    client.write("six", 3);
    if (read_exactly(server, 3) != "six") fail("wrong data");

    auto ln6 = goro::net::listen("tcp6", "[::1]:0");
    auto c6 = goro::net::dial("tcp6", ln6.addr());
    auto s6 = ln6.accept();
    std::printf("ipv6 round trip ok\n");
    return 0;
  });
}
