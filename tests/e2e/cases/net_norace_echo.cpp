// Race build: an echo over goro::net reports nothing. A client goroutine fills a heap buffer and
// a shared record, writes the buffer; the server goroutine reads into its own buffer, checks it
// and reads the shared record (ordered by net.hpp's rule: what precedes a write happens before a
// read that returns its data), echoes, and the client reads the echo into a third buffer and
// checks it. Nothing else orders the two goroutines' accesses to the record.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 0
// CHECK-NOT: DATA RACE
// CHECK-STDOUT: server saw 4096 bytes, record 7
// CHECK-STDOUT: client got its 4096 bytes back
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <goro/goro.hpp>
#include <memory>
#include <vector>

constexpr std::size_t kBytes = 4096;

struct record {
  int value = 0;
};

void read_exactly(goro::net::Conn& c, unsigned char* p, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    const std::size_t k = c.read(p + got, n - got);
    if (k == 0) {
      std::fprintf(stderr, "FAIL: end of stream\n");
      std::exit(1);
    }
    got += k;
  }
}

int main() {
  return goro::run([] {
    auto ln = goro::net::listen("127.0.0.1:0");
    auto shared = std::make_shared<record>();
    auto done = goro::make_chan<bool>();

    goro::go([&ln, shared, done] {
      auto c = ln.accept();
      std::vector<unsigned char> in(kBytes);
      read_exactly(c, in.data(), kBytes);
      bool ok = true;
      for (std::size_t i = 0; i < kBytes; ++i)
        ok = ok && in[i] == static_cast<unsigned char>(i * 3);
      std::printf("server saw %zu bytes%s, record %d\n", kBytes, ok ? "" : " (WRONG)",
                  shared->value);
      c.write(in.data(), in.size());
      done.send(true);
    });

    goro::go([addr = ln.addr(), shared, done] {
      auto c = goro::net::dial(addr);
      std::vector<unsigned char> out(kBytes);
      for (std::size_t i = 0; i < kBytes; ++i) out[i] = static_cast<unsigned char>(i * 3);
      shared->value = 7;
      c.write(out.data(), out.size());
      std::vector<unsigned char> back(kBytes);
      read_exactly(c, back.data(), kBytes);
      if (back == out) std::printf("client got its %zu bytes back\n", kBytes);
      done.send(true);
    });
    done.recv();
    done.recv();
  });
}
