// A Conn reads in one goroutine while it writes in another (net.hpp): both ends of a loopback
// connection send 8 MiB at once, each end reading concurrently in its own goroutine. With reads
// and writes sharing one lock, or a write holding up the read on its Conn, both writers would stall
// on full buffers for good.
// OPT: -O1
// CHECK-STDOUT: both directions carried 8388608 bytes intact
// CHECK-NOT: FAIL
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <goro/goro.hpp>
#include <system_error>
#include <vector>

using namespace std::chrono_literals;

constexpr std::size_t kTotal = 8 << 20;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "FAIL: %s\n", what);
  std::fflush(nullptr);
  std::_Exit(1);
}

unsigned char pattern(std::size_t i, int side) { return static_cast<unsigned char>(i * 7 + side); }

int main() {
  return goro::run([] {
    goro::after_func(20s, [] { fail("watchdog: stalled for 20 s"); });
    auto ln = goro::net::listen("127.0.0.1:0");
    goro::net::Conn ends[2];
    ends[0] = goro::net::dial(ln.addr());
    ends[1] = ln.accept();

    goro::WaitGroup wg;
    wg.add(4);
    bool intact[2] = {false, false};
    for (int side = 0; side < 2; ++side) {
      goro::go([&, side] {  // writer: all at once, one call
        std::vector<unsigned char> out(kTotal);
        for (std::size_t i = 0; i < kTotal; ++i) out[i] = pattern(i, side);
        ends[side].write(out.data(), out.size());
        wg.done();
      });
      goro::go([&, side] {  // reader of what the other side sends
        std::vector<unsigned char> in(64 * 1024);
        std::size_t got = 0;
        bool ok = true;
        while (got < kTotal) {
          const std::size_t n = ends[side].read(in.data(), in.size());
          if (n == 0) fail("end of stream");
          for (std::size_t k = 0; k < n; ++k) ok = ok && in[k] == pattern(got + k, 1 - side);
          got += n;
        }
        intact[side] = ok;
        wg.done();
      });
    }
    wg.wait();
    if (!intact[0] || !intact[1]) fail("corrupted data");
    std::printf("both directions carried %zu bytes intact\n", kTotal);
  });
}
