// Malformed addresses and unknown networks are rejected with std::system_error carrying
// std::errc::invalid_argument, by listen and by dial, without a crash; the std::error_code&
// overloads set that code, do not throw, and return an object that is not open.
// OPT: -O1
// CHECK-STDOUT: listen "nonsense": invalid_argument
// CHECK-STDOUT: listen "127.0.0.1": invalid_argument
// CHECK-STDOUT: listen "[::1": invalid_argument
// CHECK-STDOUT: listen "1.2.3.4:99999": invalid_argument
// CHECK-STDOUT: dial "127.0.0.1:99999": invalid_argument
// CHECK-STDOUT: listen udp "127.0.0.1:0": invalid_argument
// CHECK-STDOUT: all rejected
// CHECK-NOT: FAIL
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <string>
#include <system_error>

#include "net_case.hpp"

using namespace std::chrono_literals;

template <class Call>
void expect_invalid(const std::string& what, Call call) {
  try {
    call();
    fail(what + " succeeded");
  } catch (const std::system_error& e) {
    if (e.code() != std::errc::invalid_argument) fail(what + " threw another code", e.code());
  }
  std::printf("%s: invalid_argument\n", what.c_str());
}

template <class Call>
void expect_invalid_ec(const std::string& what, Call call) {
  std::error_code ec;
  bool open = true;
  try {
    open = call(ec);
  } catch (...) {
    fail(what + " (error_code overload) threw");
  }
  if (ec != std::errc::invalid_argument) fail(what + " (error_code overload)", ec);
  if (open) fail(what + " (error_code overload) returned an open object");
}

int main() {
  return goro::run([] {
    arm_watchdog(10s);
    const char* listen_bad[] = {"nonsense", "127.0.0.1", "[::1", "1.2.3.4:99999"};
    for (const char* a : listen_bad) {
      expect_invalid(std::string("listen \"") + a + "\"", [a] { goro::net::listen(a); });
      expect_invalid_ec(std::string("listen \"") + a + "\"",
                        [a](std::error_code& ec) { return goro::net::listen(a, ec).is_open(); });
    }
    const char* dial_bad[] = {"nonsense", "127.0.0.1", "[::1", "127.0.0.1:99999"};
    for (const char* a : dial_bad) {
      expect_invalid(std::string("dial \"") + a + "\"", [a] { goro::net::dial(a); });
      expect_invalid_ec(std::string("dial \"") + a + "\"",
                        [a](std::error_code& ec) { return goro::net::dial(a, ec).is_open(); });
    }
    expect_invalid("listen udp \"127.0.0.1:0\"", [] { goro::net::listen("udp", "127.0.0.1:0"); });
    expect_invalid_ec("listen udp", [](std::error_code& ec) {
      return goro::net::listen("udp", "127.0.0.1:0", ec).is_open();
    });
    expect_invalid("dial bogus network", [] { goro::net::dial("bogus", "127.0.0.1:1"); });
    expect_invalid_ec("dial bogus network", [](std::error_code& ec) {
      return goro::net::dial("bogus", "127.0.0.1:1", ec).is_open();
    });
    std::printf("all rejected\n");
  });
}
