// pingpong (goro): N round trips over two unbuffered channels: main sends i on ping, the echo
// goroutine answers i+1 on pong. Check: the sum of the answers, N(N+1)/2.
// Twins: bench/go/pingpong/main.go, bench/boost_fiber/pingpong.cpp.
#include <goro/goro.hpp>

#include "bench_harness.hpp"

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 1'000'000);
  return goro::run([n] {
    bench::stopwatch timer;
    auto ping = goro::make_chan<int64_t>(0);
    auto pong = goro::make_chan<int64_t>(0);
    goro::go([ping, pong, n] {
      for (int64_t i = 0; i < n; ++i) pong.send(ping.recv() + 1);
    });
    int64_t sum = 0;
    for (int64_t i = 0; i < n; ++i) {
      ping.send(i);
      sum += pong.recv();
    }
    bench::report("pingpong", sum, timer.elapsed_ns());
    return 0;
  });
}
