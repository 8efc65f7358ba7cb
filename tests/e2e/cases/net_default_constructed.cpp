// A default-constructed Conn or Listener is not connected: is_open() is false, native_handle() is
// -1, every operation throws std::system_error(bad_file_descriptor) (the std::error_code&
// overloads set it instead), and close() does nothing.
// OPT: -O1
// CHECK-STDOUT: Conn: every call fails with bad_file_descriptor
// CHECK-STDOUT: Listener: every call fails with bad_file_descriptor
// CHECK-NOT: FAIL
#include <chrono>
#include <cstdio>
#include <functional>
#include <goro/goro.hpp>
#include <string>
#include <system_error>

#include "net_case.hpp"

void expect_bad_fd(const std::string& what, const std::function<void()>& call) {
  try {
    call();
  } catch (const std::system_error& e) {
    if (e.code() == std::errc::bad_file_descriptor) return;
    fail(what + " threw another code", e.code());
  }
  fail(what + " did not throw");
}

void expect_bad_fd_ec(const std::string& what, const std::function<void(std::error_code&)>& call) {
  std::error_code ec;
  call(ec);
  if (ec != std::errc::bad_file_descriptor) fail(what + " (error_code)", ec);
}

int main() {
  return goro::run([] {
    const auto t = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    goro::net::Conn c;
    if (c.is_open() || c.native_handle() != -1) fail("a default Conn looks open");
    char buf[8];
    expect_bad_fd("read", [&] { c.read(buf, sizeof buf); });
    expect_bad_fd("write", [&] { c.write("x", 1); });
    expect_bad_fd("close_write", [&] { c.close_write(); });
    expect_bad_fd("local_addr", [&] { (void)c.local_addr(); });
    expect_bad_fd("remote_addr", [&] { (void)c.remote_addr(); });
    expect_bad_fd("set_deadline", [&] { c.set_deadline(t); });
    expect_bad_fd("set_read_deadline", [&] { c.set_read_deadline(t); });
    expect_bad_fd("set_write_deadline", [&] { c.set_write_deadline(t); });
    expect_bad_fd_ec("read", [&](std::error_code& ec) { c.read(buf, sizeof buf, ec); });
    expect_bad_fd_ec("write", [&](std::error_code& ec) { c.write("x", 1, ec); });
    expect_bad_fd_ec("close_write", [&](std::error_code& ec) { c.close_write(ec); });
    expect_bad_fd_ec("local_addr", [&](std::error_code& ec) { (void)c.local_addr(ec); });
    expect_bad_fd_ec("set_deadline", [&](std::error_code& ec) { c.set_deadline(t, ec); });
    c.close();
    std::error_code ec;
    c.close(ec);
    if (ec) fail("close(ec) on a default Conn", ec);
    std::printf("Conn: every call fails with bad_file_descriptor\n");

    goro::net::Listener ln;
    if (ln.is_open() || ln.native_handle() != -1) fail("a default Listener looks open");
    expect_bad_fd("accept", [&] { ln.accept(); });
    expect_bad_fd("addr", [&] { (void)ln.addr(); });
    expect_bad_fd("Listener::set_deadline", [&] { ln.set_deadline(t); });
    expect_bad_fd_ec("accept", [&](std::error_code& ec) { ln.accept(ec); });
    expect_bad_fd_ec("addr", [&](std::error_code& ec) { (void)ln.addr(ec); });
    ln.close();
    ln.close(ec);
    if (ec) fail("close(ec) on a default Listener", ec);
    std::printf("Listener: every call fails with bad_file_descriptor\n");
  });
}
