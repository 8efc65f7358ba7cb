// idle (goro): N idle connections held open, client and server ends in one process over loopback.
// The server runs a goroutine per connection parked in read() on a 4 KiB buffer, as an echo server
// waiting for its client would; the client ends are kept in a vector. Once all N are accepted and
// have sat for 100 ms, each client sends one byte, which its server goroutine echoes before it
// ends. The figure is the process's peak RSS: bench/run also runs N=1 and reports
// (RSS(N) - RSS(1)) / (N - 1) per connection, both sockets and the server goroutine included.
// Timed: setting up the N connections. Check: the bytes echoed at the end, N.
// Twin: bench/go/idle/main.go.
#include <cstdio>
#include <goro/goro.hpp>
#include <string>
#include <vector>

#include "bench_harness.hpp"

namespace {

// A server goroutine: parked in read() until its client's byte arrives, which it sends back.
void serve(goro::net::Conn conn, goro::WaitGroup* accepted) {
  accepted->done();
  char buf[4096];
  if (size_t n = conn.read(buf, sizeof buf)) conn.write(buf, n);
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 10'000);
  // Two descriptors per connection, and a few for the runtime, the listener and stdio.
  const long long limit = bench::raise_open_file_limit();
  const long long needed = 2 * static_cast<long long>(n) + 64;
  if (needed > limit) {
    std::fprintf(stderr, "idle: %lld connections need %lld descriptors; RLIMIT_NOFILE is %lld\n",
                 static_cast<long long>(n), needed, limit);
    return 1;
  }
  return goro::run([n] {
    goro::net::Listener ln = goro::net::listen("127.0.0.1:0");
    const std::string addr = ln.addr();
    goro::WaitGroup accepted;
    accepted.add(static_cast<int>(n));
    // The accept loop owns the listener, so it stays open until the process ends (as in echo).
    goro::go(
        [&accepted](goro::net::Listener ln) {
          for (;;) goro::go(serve, ln.accept(), &accepted);
        },
        std::move(ln));

    bench::stopwatch timer;
    std::vector<goro::net::Conn> clients;
    clients.reserve(n);
    for (int64_t i = 0; i < n; ++i) clients.push_back(goro::net::dial(addr));
    accepted.wait();
    const int64_t setup_ns = timer.elapsed_ns();

    goro::sleep(std::chrono::milliseconds(100));  // every server goroutine is parked by now
    int64_t echoed = 0;
    for (auto& c : clients) {
      char byte = 'x';
      c.write(&byte, 1);
    }
    for (auto& c : clients) {
      char byte = 0;
      echoed += c.read(&byte, 1) == 1 && byte == 'x';
    }
    bench::report("idle", echoed, setup_ns);
    return 0;
  });
}
