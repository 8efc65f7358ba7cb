// A read deadline that passes while the peer sends nothing fails the read with
// std::errc::timed_out: the throwing overload throws std::system_error with that code, the
// std::error_code& overload sets it and returns 0 without throwing. Once passed, the deadline also
// fails the next read at once, and a fresh (future) deadline that passes in turn fails a waiting
// error_code read the same way.
// OPT: -O1
// CHECK-STDOUT: throwing read: timed_out
// CHECK-STDOUT: error_code read after expiry: timed_out, returned 0
// CHECK-STDOUT: error_code read with a new deadline: timed_out, returned 0
// CHECK-STDOUT: done
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <goro/goro.hpp>
#include <system_error>

using namespace std::chrono_literals;

[[noreturn]] void fail(const char* what, std::error_code ec = {}) {
  std::fprintf(stderr, "FAIL: %s (%s: %s)\n", what, ec.category().name(), ec.message().c_str());
  std::fflush(nullptr);
  std::_Exit(1);
}

int main() {
  return goro::run([] {
    goro::after_func(10s, [] { fail("watchdog: the case hung for 10 s"); });
    auto ln = goro::net::listen("127.0.0.1:0");
    auto client = goro::net::dial(ln.addr());
    auto server = ln.accept();  // never writes
    char buf[16];

    client.set_read_deadline(std::chrono::steady_clock::now() + 50ms);
    try {
      client.read(buf, sizeof buf);
      fail("the read returned instead of timing out");
    } catch (const std::system_error& e) {
      if (e.code() != std::errc::timed_out) fail("the read threw another error", e.code());
    }
    std::printf("throwing read: timed_out\n");

    std::error_code ec;
    std::size_t n = client.read(buf, sizeof buf, ec);
    if (ec != std::errc::timed_out) fail("the read after expiry did not report timed_out", ec);
    std::printf("error_code read after expiry: timed_out, returned %zu\n", n);

    client.set_read_deadline(std::chrono::steady_clock::now() + 50ms);
    ec.clear();
    n = client.read(buf, sizeof buf, ec);
    if (ec != std::errc::timed_out) fail("the read with a new deadline did not time out", ec);
    std::printf("error_code read with a new deadline: timed_out, returned %zu\n", n);
    if (n != 0) fail("a timed-out read returned a count");
    std::printf("done\n");
  });
}
