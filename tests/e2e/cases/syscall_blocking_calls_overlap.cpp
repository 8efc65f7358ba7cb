// On one P, goro::blocking calls of eight goroutines run at the same time: each call waits (in a
// plain sleep loop, off the scheduler) until all eight are inside. This only ends if every
// blocking call gives up the P to the next goroutine while it runs, so the runtime must start
// threads for them. A plain watchdog thread ends the run otherwise.
// ENV: GOMAXPROCS=1
// OPT: -O1
// CHECK-STDOUT: all 8 blocking calls were inside at once
// CHECK-NOT: FAIL
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <goro/goro.hpp>
#include <thread>

using namespace std::chrono_literals;

constexpr int kCalls = 8;
std::atomic<int> inside{0};

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "FAIL: %s (inside: %d of %d)\n", what, inside.load(), kCalls);
  std::fflush(nullptr);
  std::_Exit(1);
}

int main() {
  std::thread([] {
    std::this_thread::sleep_for(10s);
    fail("watchdog: the blocking calls never all ran at once");
  }).detach();

  return goro::run([] {
    goro::WaitGroup wg;
    wg.add(kCalls);
    std::atomic<int> peak{0};
    for (int i = 0; i < kCalls; ++i) {
      goro::go([&] {
        const int seen = goro::blocking([] {
          inside.fetch_add(1);
          while (inside.load() < kCalls) usleep(1000);
          return inside.load();
        });
        int p = peak.load();
        while (seen > p && !peak.compare_exchange_weak(p, seen)) {
        }
        wg.done();
      });
    }
    wg.wait();
    std::printf("all %d blocking calls were inside at once\n", peak.load());
  });
}
