// Goroutines taking turns at a std::mutex, each holding it longer than a time slice (15 ms, against
// sysmon's 10): no safe point switches a goroutine out while it holds a pthread lock. One that
// was switched out inside the critical section waited in a run queue while the others blocked
// their threads on the mutex, each keeping its P: the program hung at every run at GOMAXPROCS=2.
// The plain build's own pthread interposers keep the count (the race build's case:
// std_mutex_long_critical_sections_race_build.cpp).
// ENV: GOMAXPROCS=2
// EXIT: 0
// CHECK-STDOUT: rounds 20
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <mutex>

namespace {

std::mutex mu;
int rounds = 0;  // guarded by mu

__attribute__((noinline)) long step(long x) { return x * 31 + 7; }

}  // namespace

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    for (int g = 0; g < 4; ++g) {
      wg.add(1);
      goro::go([&wg] {
        for (int r = 0; r < 5; ++r) {
          std::lock_guard<std::mutex> l(mu);
          const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(15);
          long x = 0;
          while (std::chrono::steady_clock::now() < until) x = step(x);  // safe points, no switch
          rounds += x == -1 ? 2 : 1;
        }
        wg.done();
      });
    }
    wg.wait();
    std::printf("rounds %d\n", rounds);
    return 0;
  });
}
