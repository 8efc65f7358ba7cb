// 1,000 client goroutines each make 100 round trips to an echo server in the same process on two
// Ps, over goro::net on 127.0.0.1: every byte a client sends comes back intact and in order, and
// the server echoes exactly what the clients sent. While all 2,000 connections are open (and while
// they carry traffic) the process has at most GOMAXPROCS + 8 threads: waiting connections park
// goroutines on the netpoller, not threads. RLIMIT_NOFILE is raised to its hard limit first, as Go
// does at start.
// ENV: GOMAXPROCS=2
// OPT: -O1
// CHECK-STDOUT: clients 1000 round trips 100000 mismatches 0
// CHECK-STDOUT-RE: ^bytes sent (\d+) echoed \1 received \1$
// CHECK-STDOUT: threads ok
// CHECK-NOT: fatal error
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <goro/goro.hpp>
#include <string>
#include <vector>

constexpr int kClients = 1000;
constexpr int kRounds = 100;
constexpr int kThreadSlack = 8;

// The "Threads:" line of /proc/self/status, or -1.
int thread_count() {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return -1;
  char line[256];
  int n = -1;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::strncmp(line, "Threads:", 8) == 0) {
      n = std::atoi(line + 8);
      break;
    }
  }
  std::fclose(f);
  return n;
}

// Message j of client i: its length and its bytes depend on both, so a misrouted or reordered
// echo is caught.
std::size_t message_length(int i, int j) {
  return 1 + static_cast<std::size_t>(i * 7 + j * 13) % 300;
}
unsigned char message_byte(int i, int j, std::size_t k) {
  return static_cast<unsigned char>(i * 5 + j * 31 + static_cast<int>(k));
}

int main() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
    std::perror("getrlimit");
    return 1;
  }
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) std::perror("setrlimit");
    getrlimit(RLIMIT_NOFILE, &rl);
  }
  if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 2 * kClients + 100) {
    std::fprintf(stderr, "RLIMIT_NOFILE is %llu even after raising it; this case needs %d\n",
                 static_cast<unsigned long long>(rl.rlim_cur), 2 * kClients + 100);
    return 1;
  }

  return goro::run([] {
    const int procs = goro::gomaxprocs();
    std::atomic<long> sent{0}, echoed{0}, received{0}, trips{0}, mismatches{0};
    goro::after_func(std::chrono::seconds(45), [&] {
      std::fprintf(stderr, "watchdog: still running after 45 s; %ld round trips done\n",
                   trips.load());
      std::fflush(nullptr);
      std::_Exit(3);
    });

    auto ln = goro::net::listen("127.0.0.1:0");
    const std::string addr = ln.addr();

    goro::WaitGroup accepted, connected, finished;
    accepted.add(kClients);
    connected.add(kClients);
    finished.add(kClients);
    auto start = goro::make_chan<bool>();

    goro::go([&] {
      for (int i = 0; i < kClients; ++i) {
        goro::go(
            [&](goro::net::Conn c) {
              std::error_code ec;
              char buf[512];
              for (;;) {
                const std::size_t n = c.read(buf, sizeof buf, ec);
                if (ec || n == 0) break;
                c.write(buf, n, ec);
                if (ec) break;
                echoed.fetch_add(static_cast<long>(n));
              }
              if (ec) std::fprintf(stderr, "server: %s\n", ec.message().c_str());
            },
            ln.accept());
        accepted.done();
      }
    });

    for (int i = 0; i < kClients; ++i) {
      goro::go([&, i] {
        auto c = goro::net::dial(addr);
        connected.done();
        start.recv();  // closed by main once every connection is open
        std::vector<unsigned char> out, in;
        for (int j = 0; j < kRounds; ++j) {
          const std::size_t len = message_length(i, j);
          out.resize(len);
          for (std::size_t k = 0; k < len; ++k) out[k] = message_byte(i, j, k);
          c.write(out.data(), len);
          sent.fetch_add(static_cast<long>(len));
          in.assign(len, 0);
          std::size_t got = 0;
          while (got < len) {
            const std::size_t n = c.read(in.data() + got, len - got);
            if (n == 0) {
              std::fprintf(stderr, "client %d: end of stream after %zu of %zu bytes\n", i, got,
                           len);
              std::fflush(nullptr);
              std::_Exit(1);
            }
            got += n;
          }
          received.fetch_add(static_cast<long>(got));
          if (in != out) mismatches.fetch_add(1);
          trips.fetch_add(1);
        }
        c.close();
        finished.done();
      });
    }

    connected.wait();
    accepted.wait();
    const int open_threads = thread_count();
    std::printf("threads with %d connections open: %d (GOMAXPROCS %d)\n", 2 * kClients,
                open_threads, procs);

    std::atomic<bool> done{false};
    std::atomic<int> peak{open_threads};
    goro::WaitGroup sampler;
    sampler.add(1);
    goro::go([&] {
      while (!done.load()) {
        const int t = thread_count();
        int p = peak.load();
        while (t > p && !peak.compare_exchange_weak(p, t)) {
        }
        goro::sleep(std::chrono::milliseconds(2));
      }
      sampler.done();
    });

    start.close();
    finished.wait();
    done.store(true);
    sampler.wait();

    std::printf("clients %d round trips %ld mismatches %ld\n", kClients, trips.load(),
                mismatches.load());
    // A server goroutine counts a chunk after its write returns, which may be after the client
    // has read it: let the count settle (bounded).
    for (int k = 0; k < 5000 && echoed.load() != sent.load(); ++k)
      goro::sleep(std::chrono::milliseconds(1));
    std::printf("bytes sent %ld echoed %ld received %ld\n", sent.load(), echoed.load(),
                received.load());
    std::printf("peak threads during traffic: %d\n", peak.load());
    const int limit = procs + kThreadSlack;
    if (open_threads < 0 || open_threads > limit || peak.load() > limit) {
      std::printf("threads too many: limit %d\n", limit);
      return 1;
    }
    std::printf("threads ok\n");
    return mismatches.load() == 0 ? 0 : 1;
  });
}
