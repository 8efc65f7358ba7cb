// Race build: Conn::write reads its whole buffer, as the detector sees it. One goroutine sends a
// buffer with Conn::write while another goroutine, unordered with it, stores into that same buffer:
// a data race, reported (exit 66). The store waits first (a sleep is no edge): two accesses at the
// same instant can both miss each other, as in any shadow detector.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Found 1 data race(s)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <goro/goro.hpp>

constexpr std::size_t kBytes = 256;
char payload[kBytes];

void scribble() { payload[kBytes / 2] = 'y'; }

int main() {
  return goro::run([] {
    for (auto& b : payload) b = 'x';
    auto ln = goro::net::listen("127.0.0.1:0");
    auto client = goro::net::dial(ln.addr());
    auto server = ln.accept();
    goro::WaitGroup wg;
    wg.add(3);
    goro::go([&] {
      client.write(payload, kBytes);
      wg.done();
    });
    goro::go([&] {
      goro::sleep(std::chrono::milliseconds(20));
      scribble();
      wg.done();
    });
    goro::go([&] {  // drains the connection into its own buffer
      char sink[kBytes];
      std::size_t got = 0;
      while (got < kBytes) {
        const std::size_t n = server.read(sink, sizeof sink);
        if (n == 0) break;
        got += n;
      }
      wg.done();
    });
    wg.wait();
    std::printf("done\n");
  });
}
