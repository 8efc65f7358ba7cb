// skynet (goro): a tree of goroutines with N leaves (N a power of 10), each inner node spawning 10
// children that answer over the node's own unbuffered channel; leaf k sends k. Check: N(N-1)/2
// (499999500000 for N = 1M). Twins: bench/go/skynet/main.go, bench/boost_fiber/skynet.cpp.
#include <cstdio>
#include <goro/goro.hpp>

#include "bench_harness.hpp"

namespace {

constexpr int64_t branching = 10;

void skynet(goro::chan<int64_t> out, int64_t num, int64_t size) {
  if (size == 1) {
    out.send(num);
    return;
  }
  auto children = goro::make_chan<int64_t>(0);
  const int64_t step = size / branching;
  for (int64_t i = 0; i < branching; ++i) goro::go(skynet, children, num + i * step, step);
  int64_t sum = 0;
  for (int64_t i = 0; i < branching; ++i) sum += children.recv();
  out.send(sum);
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 1'000'000);
  for (int64_t m = n; m > 1; m /= branching) {
    if (m % branching != 0) {
      std::fprintf(stderr, "skynet: N must be a power of %lld, got %lld\n",
                   static_cast<long long>(branching), static_cast<long long>(n));
      return 2;
    }
  }
  return goro::run([n] {
    bench::stopwatch timer;
    auto root = goro::make_chan<int64_t>(0);
    goro::go(skynet, root, int64_t{0}, n);
    const int64_t sum = root.recv();
    bench::report("skynet", sum, timer.elapsed_ns());
    return 0;
  });
}
