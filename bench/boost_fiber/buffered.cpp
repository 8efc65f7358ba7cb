// buffered (Boost.Fiber): one producer pushes 0..N-1 through a buffered_channel and closes it; main
// pops until closed. Check: the sum received, N(N-1)/2. See bench/go/buffered/main.go.
//
// buffered_channel's capacity must be a power of 2 and one slot stays empty to tell full from
// empty: buffered_channel(1024) holds 1023 values where Go's make(chan int64, 1024) holds 1024.
#include "bench_harness.hpp"
#include "fiber_runtime.hpp"

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 10'000'000);
  boost::fibers::buffered_channel<int64_t> c(1024);
  fiber_bench::run([&] {
    bench::stopwatch timer;
    fiber_bench::go([&] {
      for (int64_t i = 0; i < n; ++i) c.push(i);
      c.close();
    });
    int64_t sum = 0;
    for (int64_t v : c) sum += v;
    bench::report("buffered", sum, timer.elapsed_ns());
  });
}
