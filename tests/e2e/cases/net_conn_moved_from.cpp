// A moved-from Conn is empty: is_open() is false, native_handle() is -1, read throws
// std::system_error(bad_file_descriptor) (the error_code overload sets it), and closing it does
// nothing, while the Conn it moved into (by construction and by assignment) carries the
// connection on.
// OPT: -O1
// CHECK-STDOUT: moved-from: is_open false, native_handle -1
// CHECK-STDOUT: moved-from read: bad_file_descriptor (both overloads)
// CHECK-STDOUT: moved-to conn echoed: ping
// CHECK-NOT: FAIL
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <string>
#include <system_error>
#include <utility>

#include "net_case.hpp"

using namespace std::chrono_literals;

int main() {
  return goro::run([] {
    arm_watchdog(10s);
    auto tcp = connected_pair();
    goro::net::Conn& original = tcp.client;

    goro::net::Conn constructed(std::move(original));
    goro::net::Conn assigned;
    assigned = std::move(constructed);

    for (goro::net::Conn* c : {&original, &constructed}) {
      if (c->is_open() || c->native_handle() != -1) fail("a moved-from Conn looks open");
    }
    std::printf("moved-from: is_open false, native_handle -1\n");

    char buf[8];
    try {
      original.read(buf, sizeof buf);
      fail("read on a moved-from Conn did not throw");
    } catch (const std::system_error& e) {
      if (e.code() != std::errc::bad_file_descriptor) fail("read threw another error", e.code());
    }
    std::error_code ec;
    constructed.read(buf, sizeof buf, ec);
    if (ec != std::errc::bad_file_descriptor) fail("read(ec) on a moved-from Conn", ec);
    std::printf("moved-from read: bad_file_descriptor (both overloads)\n");
    original.close();
    constructed.close();

    assigned.write("ping", 4);
    const std::string ping = read_exactly(tcp.server, 4, "server: end of stream");
    tcp.server.write(ping.data(), 4);
    const std::string back = read_exactly(assigned, 4, "client: end of stream");
    std::printf("moved-to conn echoed: %s\n", back.c_str());
  });
}
