// On one P, network readiness is noticed even while another goroutine is always runnable: a
// goroutine spins (`while (!stop) ++x;`, preempted at its safe points) while main makes 50 round
// trips with an echo goroutine over loopback, then stops the spinner. The scheduler never runs out
// of work, so readiness must come from polling the network anyway (Go's sysmon polls it when
// nobody has for 10 ms). A plain watchdog thread ends the run if main starves.
// ENV: GOMAXPROCS=1
// OPT: -O1
// CHECK-STDOUT: 20 round trips while a goroutine spun
// CHECK-NOT: FAIL
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <goro/goro.hpp>
#include <thread>

using namespace std::chrono_literals;

std::atomic<bool> stop{false};
std::atomic<int> trips{0};

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "FAIL: %s (round trips: %d)\n", what, trips.load());
  std::fflush(nullptr);
  std::_Exit(1);
}

int main() {
  std::thread([] {
    std::this_thread::sleep_for(20s);
    fail("watchdog: no progress in 20 s");
  }).detach();

  return goro::run([] {
    auto ln = goro::net::listen("127.0.0.1:0");
    auto client = goro::net::dial(ln.addr());
    goro::go(
        [](goro::net::Conn c) {
          char b[64];
          while (std::size_t n = c.read(b, sizeof b)) c.write(b, n);
        },
        ln.accept());
    goro::WaitGroup spun;
    spun.add(1);
    goro::go([&] {
      long x = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        ++x;
      }
      std::printf("spinner stopped (%s)\n", x > 0 ? "it ran" : "it never ran");
      spun.done();
    });
    goro::yield();  // let the spinner start

    for (int i = 0; i < 20; ++i) {
      const char out = static_cast<char>('a' + i % 26);
      client.write(&out, 1);
      char in = 0;
      if (client.read(&in, 1) != 1 || in != out) fail("wrong echo");
      trips.fetch_add(1);
    }
    std::printf("%d round trips while a goroutine spun\n", trips.load());
    stop.store(true);
    spun.wait();
  });
}
