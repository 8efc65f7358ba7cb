// IPv4 addresses are written as Go writes them, "127.0.0.1:NNNN": Listener::addr() after
// listen("127.0.0.1:0") names the chosen port; a dialed Conn's remote_addr() is that address and
// its local_addr() is the accepted Conn's remote_addr() (and the other way round).
// OPT: -O1
// CHECK-STDOUT-RE: ^listener 127\.0\.0\.1:[1-9][0-9]*$
// CHECK-STDOUT: addresses agree
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
    auto ln = goro::net::listen("127.0.0.1:0");
    const std::string addr = ln.addr();
    std::printf("listener %s\n", addr.c_str());
    const std::regex v4(R"(127\.0\.0\.1:[1-9][0-9]{0,4})");
    if (!std::regex_match(addr, v4)) fail("Listener::addr(): " + addr);
    std::error_code ec;
    if (ln.addr(ec) != addr || ec) fail("Listener::addr(ec)", ec);

    auto c = goro::net::dial("tcp4", addr);
    auto s = ln.accept();
    const std::string cl = c.local_addr(), cr = c.remote_addr();
    const std::string sl = s.local_addr(ec), sr = s.remote_addr(ec);
    if (ec) fail("the error_code address overloads", ec);
    std::printf("client %s -> %s\nserver %s <- %s\n", cl.c_str(), cr.c_str(), sl.c_str(),
                sr.c_str());
    if (cr != addr || sl != addr) fail("the server side of the connection is not " + addr);
    if (!std::regex_match(cl, v4) || cl != sr) fail("the client side: " + cl + " vs " + sr);
    if (cl == addr) fail("the client's port is the listener's");
    std::printf("addresses agree\n");
  });
}
