// spawn (Boost.Fiber): N fibers that each finish at once (mark their slot, wait_group::done); main
// waits for all. Check: the number of slots marked (N). See bench/go/spawn/main.go.
#include <vector>

#include "bench_harness.hpp"
#include "fiber_runtime.hpp"

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 1'000'000);
  std::vector<char> ran(n);
  fiber_bench::wait_group wg;
  fiber_bench::run([&] {
    bench::stopwatch timer;
    wg.add(n);
    for (int64_t i = 0; i < n; ++i) {
      fiber_bench::go([&ran, &wg, i] {
        ran[i] = 1;
        wg.done();
      });
    }
    wg.wait();
    const int64_t ns = timer.elapsed_ns();
    int64_t check = 0;
    for (char r : ran) check += r;
    bench::report("spawn", check, ns);
  });
}
