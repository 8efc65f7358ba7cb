// pingpong (Boost.Fiber): N round trips over two unbuffered_channels: main pushes i on ping, the
// echo fiber answers i+1 on pong. Check: the sum of the answers, N(N+1)/2. See bench/go/pingpong.
#include "bench_harness.hpp"
#include "fiber_runtime.hpp"

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 1'000'000);
  // In main()'s frame (see fiber_bench::run): the echo fiber's last push may still release the
  // channel's lock after the matching pop has returned.
  boost::fibers::unbuffered_channel<int64_t> ping, pong;
  fiber_bench::run([&] {
    bench::stopwatch timer;
    fiber_bench::go([&] {
      for (int64_t i = 0; i < n; ++i) pong.push(ping.value_pop() + 1);
    });
    int64_t sum = 0;
    for (int64_t i = 0; i < n; ++i) {
      ping.push(i);
      sum += pong.value_pop();
    }
    bench::report("pingpong", sum, timer.elapsed_ns());
  });
}
