// yield (Boost.Fiber): two fibers each call boost::this_fiber::yield N times (GOMAXPROCS=1: one
// thread, round_robin). Check: the yields performed (2N). See bench/go/yield/main.go.
#include "bench_harness.hpp"
#include "fiber_runtime.hpp"

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 10'000'000);
  int64_t done[2] = {0, 0};
  fiber_bench::wait_group wg;
  fiber_bench::run([&] {
    bench::stopwatch timer;
    wg.add(2);
    for (int g = 0; g < 2; ++g) {
      fiber_bench::go([&, g] {
        int64_t k = 0;
        for (; k < n; ++k) boost::this_fiber::yield();
        done[g] = k;
        wg.done();
      });
    }
    wg.wait();
    bench::report("yield", done[0] + done[1], timer.elapsed_ns());
  });
}
