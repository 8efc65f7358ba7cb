// On one P, a goroutine blocked for about a second in goro::blocking(read on a blocking pipe)
// does not hold up the others: while it waits, two goroutines make 20,000 channel round trips and
// a Ticker ticks 20 times; only then is the byte it waits for written. A plain watchdog thread
// ends the run if the P stays stuck.
// ENV: GOMAXPROCS=1
// OPT: -O1
// CHECK-STDOUT: while blocked: 20000 round trips, 20 ticks
// CHECK-STDOUT: blocked read returned 1 byte: k
// CHECK-NOT: FAIL
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <goro/goro.hpp>
#include <thread>

using namespace std::chrono_literals;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "FAIL: %s\n", what);
  std::fflush(nullptr);
  std::_Exit(1);
}

int main() {
  std::atomic<int> progress{0};
  std::thread([&] {
    // No progress for 10 s: the runtime is stuck behind the blocked read.
    int last = -1;
    for (int quiet = 0; quiet < 100; ++quiet) {
      std::this_thread::sleep_for(100ms);
      const int now = progress.load();
      if (now != last) quiet = 0;
      last = now;
    }
    fail("watchdog: no progress for 10 s");
  }).detach();

  return goro::run([&] {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) fail("pipe2");  // blocking descriptors
    auto started = goro::make_chan<bool>();
    auto result = goro::make_chan<char>(1);
    goro::go([&] {
      started.send(true);
      char c = 0;
      const ssize_t n = goro::blocking([&] { return read(fds[0], &c, 1); });
      result.send(n == 1 ? c : '?');
    });
    started.recv();
    goro::sleep(10ms);  // the reader is inside read() by now

    auto ping = goro::make_chan<int>();
    auto pong = goro::make_chan<int>();
    goro::go([=] {
      for (;;) pong.send(ping.recv());
    });
    int trips = 0;
    for (int i = 0; i < 20000; ++i) {
      ping.send(i);
      if (pong.recv() == i) ++trips;
      progress.fetch_add(1, std::memory_order_relaxed);
    }
    goro::Ticker ticker(50ms);
    int ticks = 0;
    while (ticks < 20) {
      ticker.c().recv();
      ++ticks;
      progress.fetch_add(1, std::memory_order_relaxed);
    }
    ticker.stop();
    if (result.try_recv()) fail("the blocked read finished before anything was written");
    std::printf("while blocked: %d round trips, %d ticks\n", trips, ticks);

    if (write(fds[1], "k", 1) != 1) fail("write");
    const char c = result.recv();
    std::printf("blocked read returned 1 byte: %c\n", c);
    if (c != 'k') fail("the blocked read failed");
  });
}
