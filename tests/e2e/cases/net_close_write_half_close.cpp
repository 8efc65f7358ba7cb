// close_write shuts down only the sending side: the peer reads the data and then end of stream,
// and can still write back, which the half-closed side reads until the peer closes too.
// OPT: -O1
// CHECK-STDOUT: server read "ping" then end of stream
// CHECK-STDOUT: client read "pong" then end of stream
// CHECK-NOT: FAIL
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <string>
#include <system_error>

#include "net_case.hpp"

using namespace std::chrono_literals;

std::string read_to_end(goro::net::Conn& c) {
  std::string all;
  char buf[64];
  while (std::size_t n = c.read(buf, sizeof buf)) all.append(buf, n);
  return all;
}

int main() {
  return goro::run([] {
    arm_watchdog(10s);
    auto ln = goro::net::listen("127.0.0.1:0");
    auto client = goro::net::dial(ln.addr());
    auto done = goro::make_chan<bool>();
    goro::go(
        [done](goro::net::Conn c) {
          const std::string got = read_to_end(c);
          std::printf("server read \"%s\" then end of stream\n", got.c_str());
          if (got != "ping") fail("server got the wrong data");
          c.write("pong", 4);
          c.close();
          done.send(true);
        },
        ln.accept());

    client.write("ping", 4);
    client.close_write();
    const std::string back = read_to_end(client);
    done.recv();
    std::printf("client read \"%s\" then end of stream\n", back.c_str());
    if (back != "pong") fail("client got the wrong data");
  });
}
