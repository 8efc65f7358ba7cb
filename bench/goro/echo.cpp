// echo (goro): N client connections to an echo server in the same process, over loopback; each
// client makes 100 round trips of 64 bytes (write, then read the echo back) while the others do
// the same. Server and clients are a goroutine per connection, blocking reads and writes on
// goro::net. Timed: from the first dial to the last client's end. Check: the round trips whose
// echo came back intact, 100·N.
// Twin: bench/go/echo/main.go.
#include <cstdio>
#include <cstring>
#include <goro/goro.hpp>
#include <string>

#include "bench_harness.hpp"

namespace {

constexpr int kRoundTrips = 100;
constexpr size_t kMessage = 64;

void echo(goro::net::Conn conn) {
  char buf[4096];
  while (size_t n = conn.read(buf, sizeof buf)) conn.write(buf, n);
}

bool read_full(goro::net::Conn& conn, char* p, size_t n) {
  while (n > 0) {
    size_t got = conn.read(p, n);
    if (got == 0) return false;
    p += got;
    n -= got;
  }
  return true;
}

// One client: its round trips, then it closes; sends how many echoes were right.
void client(const std::string& addr, const goro::chan<int64_t>& done) {
  goro::net::Conn conn = goro::net::dial(addr);
  char out[kMessage], in[kMessage];
  int64_t intact = 0;
  for (int r = 0; r < kRoundTrips; ++r) {
    std::memset(out, 'a' + r % 26, sizeof out);
    conn.write(out, sizeof out);
    if (!read_full(conn, in, sizeof in)) break;
    intact += std::memcmp(in, out, sizeof in) == 0;
  }
  done.send(intact);
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 1000);
  bench::raise_open_file_limit();
  return goro::run([n] {
    goro::net::Listener ln = goro::net::listen("127.0.0.1:0");
    const std::string addr = ln.addr();
    // The accept loop owns the listener, so it stays open until the process ends, as in the Go
    // twin (main's return must not close it under a goroutine still accepting).
    goro::go(
        [](goro::net::Listener ln) {
          for (;;) goro::go(echo, ln.accept());
        },
        std::move(ln));
    bench::stopwatch timer;
    auto done = goro::make_chan<int64_t>(n);
    for (int64_t i = 0; i < n; ++i) goro::go(client, addr, done);
    int64_t total = 0;
    for (int64_t i = 0; i < n; ++i) total += done.recv();
    bench::report("echo", total, timer.elapsed_ns());
    return 0;
  });
}
