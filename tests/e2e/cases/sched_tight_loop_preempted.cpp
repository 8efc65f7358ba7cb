// On one P, a goroutine spinning in a loop with no calls and no channel operations
// (`while (!stop.load(relaxed)) ++x;`, compiled by goro c++ and so given preemption points) does
// not starve a goroutine driven by a goro::Ticker: the ticker goroutine gets its ten ticks and then
// sets stop, ending the loop. A plain watchdog thread ends the run if it never does.
// ENV: GOMAXPROCS=1
// OPT: -O0 -O1 -O2
// CHECK-STDOUT: ticker goroutine got 10 ticks while the loop spun
// CHECK-STDOUT: loop stopped
// CHECK-NOT: FAIL
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <goro/goro.hpp>
#include <thread>

using namespace std::chrono_literals;

std::atomic<bool> stop{false};
std::atomic<bool> spinning{false};

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "FAIL: %s\n", what);
  std::fflush(nullptr);
  std::_Exit(1);
}

int main() {
  std::thread([] {
    std::this_thread::sleep_for(20s);
    fail("watchdog: the ticker goroutine was starved for 20 s");
  }).detach();

  return goro::run([] {
    goro::WaitGroup wg;
    wg.add(2);
    goro::go([&] {
      long x = 0;
      spinning.store(true);
      while (!stop.load(std::memory_order_relaxed)) {
        x++;
      }
      std::printf("loop stopped after %s iterations\n", x > 0 ? "some" : "no");
      wg.done();
    });
    goro::go([&] {
      // Start ticking once the loop runs, so the ticks must be delivered past it.
      while (!spinning.load()) goro::yield();
      goro::Ticker ticker(10ms);
      int ticks = 0;
      while (ticks < 10) {
        ticker.c().recv();
        ++ticks;
      }
      ticker.stop();
      std::printf("ticker goroutine got %d ticks while the loop spun\n", ticks);
      std::fflush(stdout);
      stop.store(true, std::memory_order_relaxed);
      wg.done();
    });
    wg.wait();
  });
}
