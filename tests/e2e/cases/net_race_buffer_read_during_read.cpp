// Race build: Conn::read writes the bytes it stores into its buffer, as the detector sees it. One
// goroutine reads from a Conn into a buffer while another goroutine, unordered with it, reads the
// start of that same buffer: a data race, reported (exit 66). The peek waits first (a sleep is no
// edge): two accesses at the same instant can both miss each other, as in any shadow detector.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Found 1 data race(s)
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>

char inbox[64];

int peek() { return inbox[0]; }

int main() {
  return goro::run([] {
    auto ln = goro::net::listen("127.0.0.1:0");
    auto client = goro::net::dial(ln.addr());
    auto server = ln.accept();
    char message[sizeof inbox];
    for (auto& c : message) c = 'm';
    client.write(message, sizeof message);  // all there before the read below starts

    goro::WaitGroup wg;
    wg.add(2);
    goro::go([&] {
      std::size_t got = 0;
      while (got < sizeof inbox) {
        const std::size_t n = server.read(inbox + got, sizeof inbox - got);
        if (n == 0) break;
        got += n;
      }
      wg.done();
    });
    int seen = 0;
    goro::go([&] {
      goro::sleep(std::chrono::milliseconds(20));
      seen = peek();
      wg.done();
    });
    wg.wait();
    std::printf("peeked %d\n", seen);
  });
}
