// sum (goro): the memory-heavy workload. An array of N int64s (default 8M: 64 MiB) is filled, then
// summed, each by one goroutine per 1 MiB chunk: every word is written once and read once, so
// under -race the detector's shadow covers the whole array. The partial sums come back over a
// channel. Check: the sum of 0..N-1, N(N-1)/2.
// Twin: bench/go/sum/main.go (Boost.Fiber: n/a, this measures the race detector's memory).
#include <goro/goro.hpp>
#include <memory>

#include "bench_harness.hpp"

namespace {

constexpr int64_t kChunk = 128 * 1024;  // int64s per goroutine: 1 MiB

}  // namespace

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 8 * 1024 * 1024);
  return goro::run([n] {
    // Not value-initialised: the pages are first touched by the fill, as Go's fresh allocation is.
    std::unique_ptr<int64_t[]> a(new int64_t[n]);
    int64_t* data = a.get();
    const int64_t chunks = (n + kChunk - 1) / kChunk;
    bench::stopwatch timer;
    goro::WaitGroup filled;
    filled.add(static_cast<int>(chunks));
    for (int64_t from = 0; from < n; from += kChunk) {
      goro::go([data, from, n, &filled] {
        const int64_t to = from + kChunk < n ? from + kChunk : n;
        for (int64_t i = from; i < to; ++i) data[i] = i;
        filled.done();
      });
    }
    filled.wait();
    auto partial = goro::make_chan<int64_t>(static_cast<std::size_t>(chunks));
    for (int64_t from = 0; from < n; from += kChunk) {
      goro::go([data, from, n, partial] {
        const int64_t to = from + kChunk < n ? from + kChunk : n;
        int64_t s = 0;
        for (int64_t i = from; i < to; ++i) s += data[i];
        partial.send(s);
      });
    }
    int64_t sum = 0;
    for (int64_t k = 0; k < chunks; ++k) sum += partial.recv();
    bench::report("sum", sum, timer.elapsed_ns());
    return 0;
  });
}
