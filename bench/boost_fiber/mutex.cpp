// mutex (Boost.Fiber): 4 fibers each lock one boost::fibers::mutex, increment a shared counter and
// unlock, N times. Check: the final counter, 4N. See bench/go/mutex/main.go.
#include <mutex>

#include "bench_harness.hpp"
#include "fiber_runtime.hpp"

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 1'000'000);
  constexpr int workers = 4;
  boost::fibers::mutex mu;
  int64_t counter = 0;
  fiber_bench::wait_group wg;
  fiber_bench::run([&] {
    bench::stopwatch timer;
    wg.add(workers);
    for (int w = 0; w < workers; ++w) {
      fiber_bench::go([&] {
        for (int64_t i = 0; i < n; ++i) {
          std::lock_guard<boost::fibers::mutex> lock(mu);
          ++counter;
        }
        wg.done();
      });
    }
    wg.wait();
    bench::report("mutex", counter, timer.elapsed_ns());
  });
}
