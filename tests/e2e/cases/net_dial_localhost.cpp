// A dial to "localhost:<port>" resolves the name (getaddrinfo, inside blocking()) and connects to
// a Listener on 127.0.0.1:<port>, even where localhost also resolves to ::1, where nothing listens
// (every resolved address is tried, as Go does). The connection's remote address is numeric.
// OPT: -O1
// CHECK-STDOUT: dial localhost: ok
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
    const std::string port = addr.substr(addr.rfind(':') + 1);
    std::error_code ec;
    auto c = goro::net::dial("localhost:" + port, ec);
    if (ec) fail("dial localhost:" + port, ec);
    auto s = ln.accept();
    c.write("l", 1);
    char b;
    if (s.read(&b, 1) != 1 || b != 'l') fail("no byte over the localhost connection");
    std::printf("remote address %s\n", c.remote_addr().c_str());
    if (c.remote_addr() != addr) fail("remote_addr() is " + c.remote_addr() + ", not " + addr);
    std::printf("dial localhost: ok\n");
  });
}
