// listen(":0") listens on every local address: a dial to 127.0.0.1:<its port> connects, and so
// does one to [::1]:<its port> when the machine has an IPv6 loopback (checked with a plain socket
// first). Only the port of Listener::addr() is relied on.
// OPT: -O1
// CHECK-STDOUT: dial 127.0.0.1: ok
// CHECK-STDOUT-RE: ^dial \[::1\]: (ok|skipped, no IPv6 loopback)$
// CHECK-NOT: FAIL
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <string>
#include <system_error>

#include "net_case.hpp"

using namespace std::chrono_literals;

bool have_ipv6_loopback() {
  const int fd = socket(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_addr = in6addr_loopback;
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}

void round_trip(goro::net::Listener& ln, const std::string& addr) {
  auto c = goro::net::dial(addr);
  auto s = ln.accept();
  c.write("x", 1);
  char b;
  if (s.read(&b, 1) != 1 || b != 'x') fail("no byte over " + addr);
}

int main() {
  return goro::run([] {
    arm_watchdog(10s);
    auto ln = goro::net::listen(":0");
    const std::string addr = ln.addr();
    std::printf("listening on %s\n", addr.c_str());
    const auto colon = addr.rfind(':');
    if (colon == std::string::npos) fail("no port in " + addr);
    const std::string port = addr.substr(colon + 1);
    if (port.empty() || port == "0") fail("no port chosen: " + addr);

    round_trip(ln, "127.0.0.1:" + port);
    std::printf("dial 127.0.0.1: ok\n");
    if (have_ipv6_loopback()) {
      round_trip(ln, "[::1]:" + port);
      std::printf("dial [::1]: ok\n");
    } else {
      std::printf("dial [::1]: skipped, no IPv6 loopback\n");
    }
  });
}
