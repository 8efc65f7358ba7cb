// mutex (goro): 4 goroutines each lock one goro::Mutex, increment a shared counter and unlock, N
// times. Check: the final counter, 4N. Twins: bench/go/mutex/main.go, bench/boost_fiber/mutex.cpp.
#include <goro/goro.hpp>
#include <mutex>

#include "bench_harness.hpp"

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 1'000'000);
  return goro::run([n] {
    constexpr int workers = 4;
    goro::Mutex mu;
    int64_t counter = 0;
    bench::stopwatch timer;
    goro::WaitGroup wg;
    wg.add(workers);
    for (int w = 0; w < workers; ++w) {
      goro::go([&mu, &counter, &wg, n] {
        for (int64_t i = 0; i < n; ++i) {
          std::lock_guard<goro::Mutex> lock(mu);
          ++counter;
        }
        wg.done();
      });
    }
    wg.wait();
    bench::report("mutex", counter, timer.elapsed_ns());
    return 0;
  });
}
