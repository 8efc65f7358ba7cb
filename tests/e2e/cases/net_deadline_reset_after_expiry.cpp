// After a deadline has passed the connection stays failed (timed_out, even with data waiting)
// until the deadline is moved: a later deadline, or a default-constructed time_point (no deadline),
// makes it usable again. Covers set_read_deadline and set_deadline (which also governs writes).
// OPT: -O1
// CHECK-STDOUT: expired read: timed_out
// CHECK-STDOUT: expired read with data waiting: timed_out
// CHECK-STDOUT: later deadline: read a
// CHECK-STDOUT: deadline in the past: timed_out
// CHECK-STDOUT: no deadline: read b
// CHECK-STDOUT: set_deadline in the past: write timed_out, read timed_out
// CHECK-STDOUT: set_deadline cleared: wrote and read c
// CHECK-NOT: FAIL
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <string>
#include <system_error>

#include "net_case.hpp"

using namespace std::chrono_literals;
using clk = std::chrono::steady_clock;

// The code a read fails with (empty when it returned data, which is kept in *data).
std::error_code read_error(goro::net::Conn& c, std::string* data = nullptr) {
  char buf[16];
  try {
    const std::size_t n = c.read(buf, sizeof buf);
    if (data != nullptr) data->assign(buf, n);
    return {};
  } catch (const std::system_error& e) {
    return e.code();
  }
}

int main() {
  return goro::run([] {
    arm_watchdog(10s);
    auto tcp = connected_pair();
    std::string data;

    tcp.client.set_read_deadline(clk::now() + 30ms);
    if (auto ec = read_error(tcp.client); ec != std::errc::timed_out) fail("first read", ec);
    std::printf("expired read: timed_out\n");

    tcp.server.write("a", 1);
    goro::sleep(50ms);  // let the byte arrive
    if (auto ec = read_error(tcp.client); ec != std::errc::timed_out)
      fail("a read with data waiting and a passed deadline did not fail", ec);
    std::printf("expired read with data waiting: timed_out\n");

    tcp.client.set_read_deadline(clk::now() + 10s);
    if (auto ec = read_error(tcp.client, &data); ec || data != "a")
      fail("read after a later deadline", ec);
    std::printf("later deadline: read %s\n", data.c_str());

    tcp.client.set_read_deadline(clk::now() - 1ms);
    if (auto ec = read_error(tcp.client); ec != std::errc::timed_out) fail("past deadline", ec);
    std::printf("deadline in the past: timed_out\n");

    tcp.client.set_read_deadline(goro::net::deadline{});
    goro::go([&tcp] {
      goro::sleep(50ms);
      tcp.server.write("b", 1);
    });
    if (auto ec = read_error(tcp.client, &data); ec || data != "b")
      fail("read with no deadline", ec);
    std::printf("no deadline: read %s\n", data.c_str());

    tcp.client.set_deadline(clk::now() - 1ms);
    std::error_code wec;
    tcp.client.write("c", 1, wec);
    if (wec != std::errc::timed_out) fail("write with a passed set_deadline", wec);
    if (auto ec = read_error(tcp.client); ec != std::errc::timed_out)
      fail("read with a passed set_deadline", ec);
    std::printf("set_deadline in the past: write timed_out, read timed_out\n");

    tcp.client.set_deadline(goro::net::deadline{});
    tcp.client.write("c", 1);
    char buf[4];
    if (tcp.server.read(buf, sizeof buf) != 1 || buf[0] != 'c') fail("the server did not get c");
    tcp.server.write("c", 1);
    if (auto ec = read_error(tcp.client, &data); ec || data != "c") fail("read after clearing", ec);
    std::printf("set_deadline cleared: wrote and read %s\n", data.c_str());
  });
}
