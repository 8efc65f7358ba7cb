// A moved-from Conn is empty: is_open() is false, native_handle() is -1, read throws
// std::system_error(bad_file_descriptor) (the error_code overload sets it), and closing it does
// nothing, while the Conn it moved into (by construction and by assignment) carries the
// connection on.
// OPT: -O0 -O1
// CHECK-STDOUT: moved-from: is_open false, native_handle -1
// CHECK-STDOUT: moved-from read: bad_file_descriptor (both overloads)
// CHECK-STDOUT: moved-to conn echoed: ping
// CHECK-NOT: FAIL
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <goro/goro.hpp>
#include <string>
#include <system_error>
#include <utility>

using namespace std::chrono_literals;

[[noreturn]] void fail(const char* what, std::error_code ec = {}) {
  std::fprintf(stderr, "FAIL: %s (%s)\n", what, ec.message().c_str());
  std::fflush(nullptr);
  std::_Exit(1);
}

int main() {
  return goro::run([] {
    goro::after_func(10s, [] { fail("watchdog: the case hung for 10 s"); });
    auto ln = goro::net::listen("127.0.0.1:0");
    auto original = goro::net::dial(ln.addr());
    auto server = ln.accept();

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
    std::size_t got = 0;
    while (got < 4) {
      const std::size_t n = server.read(buf + got, 4 - got);
      if (n == 0) fail("server: end of stream");
      got += n;
    }
    server.write(buf, 4);
    std::string back;
    while (back.size() < 4) {
      const std::size_t n = assigned.read(buf, 4 - back.size());
      if (n == 0) fail("client: end of stream");
      back.append(buf, n);
    }
    std::printf("moved-to conn echoed: %s\n", back.c_str());
  });
}
