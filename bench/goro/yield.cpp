// yield (goro): two goroutines each call goro::yield N times (bench/run sets GOMAXPROCS=1, so
// every yield switches to the other goroutine). Check: the yields performed (2N).
// Twins: bench/go/yield/main.go, bench/boost_fiber/yield.cpp.
#include <goro/goro.hpp>

#include "bench_harness.hpp"

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 10'000'000);
  return goro::run([n] {
    int64_t done[2] = {0, 0};
    bench::stopwatch timer;
    goro::WaitGroup wg;
    wg.add(2);
    for (int g = 0; g < 2; ++g) {
      goro::go([&done, &wg, n, g] {
        int64_t k = 0;
        for (; k < n; ++k) goro::yield();
        done[g] = k;
        wg.done();
      });
    }
    wg.wait();
    bench::report("yield", done[0] + done[1], timer.elapsed_ns());
    return 0;
  });
}
