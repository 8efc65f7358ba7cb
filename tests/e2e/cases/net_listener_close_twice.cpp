// Closing a Listener twice is harmless (both overloads; no error reported), and a closed Listener
// says so: is_open() is false, native_handle() is -1, and accept and set_deadline fail with
// bad_file_descriptor; a dial to its old address is refused. Every check runs; failures are listed.
// OPT: -O1
// CHECK-STDOUT: second close: no error
// CHECK-STDOUT: closed listener: is_open false, native_handle -1
// CHECK-STDOUT: closed listener: accept and set_deadline fail with bad_file_descriptor
// CHECK-STDOUT: dial to the old address: connection_refused
// CHECK-NOT: FAIL
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <goro/goro.hpp>
#include <string>
#include <system_error>

#include "net_case.hpp"

using namespace std::chrono_literals;

int failures = 0;

void expect_bad_fd(const char* what, const std::function<void()>& call) {
  if (!fails_with_bad_fd(what, "Listener", call)) ++failures;
}

int main() {
  return goro::run([] {
    goro::after_func(10s, [] {
      std::fprintf(stderr, "FAIL: watchdog: the case hung for 10 s\n");
      std::fflush(nullptr);
      std::_Exit(1);
    });
    auto ln = goro::net::listen("127.0.0.1:0");
    const std::string addr = ln.addr();
    ln.close();
    std::error_code ec;
    ln.close(ec);
    ln.close();
    if (ec) {
      ++failures;
      std::fprintf(stderr, "FAIL: close(ec) on a closed Listener: %s\n", ec.message().c_str());
    } else {
      std::printf("second close: no error\n");
    }

    const bool open = ln.is_open();
    const int handle = ln.native_handle();
    std::printf("closed listener: is_open %s, native_handle %d\n", open ? "true" : "false", handle);
    if (open) ++failures, std::fprintf(stderr, "FAIL: is_open() is true after close\n");
    if (handle != -1) ++failures, std::fprintf(stderr, "FAIL: native_handle() after close\n");

    const int before = failures;
    expect_bad_fd("accept", [&] { ln.accept(); });
    expect_bad_fd("accept(ec)", [&] {
      std::error_code e;
      ln.accept(e);
      if (e) throw std::system_error(e);
    });
    expect_bad_fd("set_deadline", [&] { ln.set_deadline(std::chrono::steady_clock::now()); });
    if (failures == before) {
      std::printf("closed listener: accept and set_deadline fail with bad_file_descriptor\n");
    }

    std::error_code dial_ec;
    auto c = goro::net::dial(addr, dial_ec);
    if (dial_ec == std::errc::connection_refused) {
      std::printf("dial to the old address: connection_refused\n");
    } else {
      ++failures;
      std::fprintf(stderr, "FAIL: dial to a closed listener: %s\n", dial_ec.message().c_str());
    }
    return failures == 0 ? 0 : 1;
  });
}
