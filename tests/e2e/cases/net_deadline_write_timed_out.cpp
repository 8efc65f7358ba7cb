// A write deadline fails a write that cannot finish because the peer never reads (the socket
// buffers fill up): the throwing overload throws std::system_error(timed_out), and the
// std::error_code& overload reports timed_out and returns how many bytes it wrote before then.
// OPT: -O1
// CHECK-STDOUT: throwing write: timed_out
// CHECK-STDOUT-RE: ^error_code write: timed_out after \d+ of 1048576 bytes$
// CHECK-NOT: FAIL
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <system_error>
#include <vector>

#include "net_case.hpp"

using namespace std::chrono_literals;
using clk = std::chrono::steady_clock;

int main() {
  return goro::run([] {
    arm_watchdog(20s);
    auto tcp = connected_pair();  // server: never reads
    const std::vector<char> chunk(1 << 20, 'x');

    // Each write gets a fresh deadline; with nothing read, the buffers are full long before 1 GiB.
    long total = 0;
    for (;;) {
      tcp.client.set_write_deadline(clk::now() + 200ms);
      try {
        tcp.client.write(chunk.data(), chunk.size());
      } catch (const std::system_error& e) {
        if (e.code() != std::errc::timed_out) fail("the write threw another error", e.code());
        break;
      }
      total += static_cast<long>(chunk.size());
      if (total > (1L << 30)) fail("wrote 1 GiB to a peer that never reads");
    }
    std::printf("throwing write: timed_out (about %ld bytes buffered before)\n", total);

    tcp.client.set_write_deadline(clk::now() + 200ms);
    std::error_code ec;
    const std::size_t n = tcp.client.write(chunk.data(), chunk.size(), ec);
    if (ec != std::errc::timed_out) fail("the error_code write did not time out", ec);
    if (n >= chunk.size()) fail("a timed-out write claims to have written everything");
    std::printf("error_code write: timed_out after %zu of %zu bytes\n", n, chunk.size());
  });
}
