// Closing a Conn twice is harmless (both overloads; the error_code one reports no error), and a
// closed Conn says so: is_open() is false, native_handle() is -1, and read, write, close_write and
// the deadlines fail with std::errc::bad_file_descriptor (the addresses are not checked: Go still
// answers LocalAddr after Close). The peer sees end of stream from the first close; the destructor
// of the closed Conn does nothing more. Every check runs; the failed ones are listed.
// OPT: -O1
// CHECK-STDOUT: second close: no error
// CHECK-STDOUT: closed conn: is_open false, native_handle -1
// CHECK-STDOUT: closed conn: every call fails with bad_file_descriptor
// CHECK-STDOUT: peer saw end of stream
// CHECK-NOT: FAIL
#include <chrono>
#include <cstdio>
#include <functional>
#include <goro/goro.hpp>
#include <system_error>

#include "net_case.hpp"

using namespace std::chrono_literals;

int failures = 0;

void expect_bad_fd(const char* what, const std::function<void()>& call) {
  if (!fails_with_bad_fd(what, "Conn", call)) ++failures;
}

int main() {
  return goro::run([] {
    arm_watchdog(10s);
    auto ln = goro::net::listen("127.0.0.1:0");
    auto server = goro::net::dial(ln.addr());
    {
      auto c = ln.accept();
      c.close();
      std::error_code ec;
      c.close(ec);
      if (ec) fail("close(ec) on a closed Conn reported an error", ec);
      c.close();
      std::printf("second close: no error\n");

      const bool open = c.is_open();
      const int handle = c.native_handle();
      std::printf("closed conn: is_open %s, native_handle %d\n", open ? "true" : "false", handle);
      if (open) failures++, std::fprintf(stderr, "FAIL: is_open() is true after close\n");
      if (handle != -1) failures++, std::fprintf(stderr, "FAIL: native_handle() after close\n");

      char buf[8];
      expect_bad_fd("read", [&] { c.read(buf, sizeof buf); });
      expect_bad_fd("write", [&] { c.write("x", 1); });
      expect_bad_fd("close_write", [&] { c.close_write(); });
      expect_bad_fd("set_deadline", [&] { c.set_deadline(std::chrono::steady_clock::now()); });
      expect_bad_fd("set_read_deadline", [&] { c.set_read_deadline({}); });
      expect_bad_fd("set_write_deadline", [&] { c.set_write_deadline({}); });
      expect_bad_fd("read(ec)", [&] {
        std::error_code e;
        c.read(buf, sizeof buf, e);
        if (e) throw std::system_error(e);
      });
      expect_bad_fd("write(ec)", [&] {
        std::error_code e;
        c.write("x", 1, e);
        if (e) throw std::system_error(e);
      });
      if (failures == 0) std::printf("closed conn: every call fails with bad_file_descriptor\n");
    }  // the closed Conn's destructor runs here

    char buf[8];
    if (server.read(buf, sizeof buf) != 0) fail("the peer read data instead of end of stream");
    std::printf("peer saw end of stream\n");
    return failures == 0 ? 0 : 1;
  });
}
