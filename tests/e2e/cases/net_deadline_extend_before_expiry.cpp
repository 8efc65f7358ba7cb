// Moving a read deadline later while a read waits (from another goroutine, before the first
// deadline passes) keeps that read waiting past the original deadline: it returns the data that
// arrives afterwards instead of failing with timed_out.
// OPT: -O1
// CHECK-STDOUT: read 5 bytes: hello
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
    auto tcp = connected_pair();

    const auto first = std::chrono::steady_clock::now() + 1s;
    tcp.client.set_read_deadline(first);
    auto result = goro::make_chan<std::string>(1);
    auto reading = goro::make_chan<bool>();
    goro::go([&] {
      char buf[16];
      std::error_code ec;
      reading.send(true);
      const std::size_t n = tcp.client.read(buf, sizeof buf, ec);
      result.send(ec ? "error " + ec.message() : std::string(buf, n));
    });
    reading.recv();
    goro::sleep(50ms);
    tcp.client.set_read_deadline(std::chrono::steady_clock::now() + 30s);
    // Send only well after the first deadline has passed.
    while (std::chrono::steady_clock::now() < first + 300ms) goro::sleep(50ms);
    tcp.server.write("hello", 5);
    const std::string got = result.recv();
    if (got != "hello") fail("the read gave: " + got);
    std::printf("read %zu bytes: %s\n", got.size(), got.c_str());
  });
}
