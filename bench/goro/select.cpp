// select (goro): two producers send 0..N/2-1 and N/2..N-1 on their own unbuffered channel; main
// receives all N messages with a two-case goro::select. Check: the sum received, N(N-1)/2.
// Twin: bench/go/select/main.go (Boost.Fiber has no select: n/a).
#include <goro/goro.hpp>

#include "bench_harness.hpp"

namespace {

void produce(goro::chan<int64_t> c, int64_t from, int64_t to) {
  for (int64_t i = from; i < to; ++i) c.send(i);
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 1'000'000);
  return goro::run([n] {
    bench::stopwatch timer;
    auto a = goro::make_chan<int64_t>(0);
    auto b = goro::make_chan<int64_t>(0);
    goro::go(produce, a, int64_t{0}, n / 2);
    goro::go(produce, b, n / 2, n);
    int64_t sum = 0;
    const auto add = [&sum](int64_t v) { sum += v; };
    for (int64_t k = 0; k < n; ++k) goro::select(goro::recv_case(a, add), goro::recv_case(b, add));
    bench::report("select", sum, timer.elapsed_ns());
    return 0;
  });
}
