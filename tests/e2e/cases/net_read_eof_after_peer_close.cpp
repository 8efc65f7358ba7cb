// When the peer writes and then closes, read returns the data and then 0 (end of stream), and
// keeps returning 0 on later calls; a read of 0 bytes returns 0 at once.
// OPT: -O1
// CHECK-STDOUT: read before close: abc
// CHECK-STDOUT: end of stream: 0 0
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
    auto client = goro::net::dial(ln.addr());
    char buf[16];
    if (client.read(buf, 0) != 0) fail("a read of 0 bytes returned a count");

    goro::go(
        [](goro::net::Conn peer) {
          goro::sleep(20ms);
          peer.write("abc", 3);
          peer.close();
        },
        ln.accept());

    std::string got;
    std::size_t n;
    while ((n = client.read(buf, sizeof buf)) != 0) got.append(buf, n);
    if (got != "abc") fail("read before end of stream: " + got);
    std::printf("read before close: %s\n", got.c_str());
    const std::size_t again = client.read(buf, sizeof buf);
    std::error_code ec;
    const std::size_t third = client.read(buf, sizeof buf, ec);
    if (again != 0 || third != 0 || ec) fail("a read after end of stream", ec);
    std::printf("end of stream: %zu %zu\n", again, third);
  });
}
