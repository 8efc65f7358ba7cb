// buffered (goro): one producer sends 0..N-1 through a channel of capacity 1024 and closes it; main
// ranges over it until closed. Check: the sum received, N(N-1)/2.
// Twins: bench/go/buffered/main.go, bench/boost_fiber/buffered.cpp.
#include <goro/goro.hpp>

#include "bench_harness.hpp"

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 10'000'000);
  return goro::run([n] {
    bench::stopwatch timer;
    auto c = goro::make_chan<int64_t>(1024);
    goro::go([c, n] {
      for (int64_t i = 0; i < n; ++i) c.send(i);
      c.close();
    });
    int64_t sum = 0;
    for (int64_t v : c) sum += v;
    bench::report("buffered", sum, timer.elapsed_ns());
    return 0;
  });
}
