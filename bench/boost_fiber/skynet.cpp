// skynet (Boost.Fiber): a tree of fibers with N leaves (N a power of 10), each inner node spawning
// 10 children that answer over the node's own unbuffered_channel; leaf k sends k. Check:
// N(N-1)/2. See bench/go/skynet/main.go.
//
// Channels are shared_ptr-owned by every fiber that uses them, the way Go's garbage collector keeps
// a channel alive: a child's push may still release the channel's lock after the parent's last pop.
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "bench_harness.hpp"
#include "fiber_runtime.hpp"

namespace {

constexpr int64_t branching = 10;
using channel = std::shared_ptr<boost::fibers::unbuffered_channel<int64_t>>;

void skynet(const channel& out, int64_t num, int64_t size) {
  if (size == 1) {
    out->push(num);
    return;
  }
  auto children = std::make_shared<boost::fibers::unbuffered_channel<int64_t>>();
  const int64_t step = size / branching;
  for (int64_t i = 0; i < branching; ++i) {
    fiber_bench::go([children, num, i, step] { skynet(children, num + i * step, step); });
  }
  int64_t sum = 0;
  for (int64_t i = 0; i < branching; ++i) sum += children->value_pop();
  out->push(sum);
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
  fiber_bench::run([&] {
    bench::stopwatch timer;
    auto root = std::make_shared<boost::fibers::unbuffered_channel<int64_t>>();
    fiber_bench::go([root, n] { skynet(root, 0, n); });
    const int64_t sum = root->value_pop();
    bench::report("skynet", sum, timer.elapsed_ns());
  });
}
