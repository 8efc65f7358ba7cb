// spawn (goro): N goroutines that each finish at once (mark their slot, WaitGroup::done); main
// waits for all. Measures goroutine creation, first run and exit. Check: slots marked (N).
// Twins: bench/go/spawn/main.go, bench/boost_fiber/spawn.cpp.
#include <goro/goro.hpp>
#include <vector>

#include "bench_harness.hpp"

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 1'000'000);
  return goro::run([n] {
    std::vector<char> ran(n);
    bench::stopwatch timer;
    goro::WaitGroup wg;
    wg.add(static_cast<int>(n));
    for (int64_t i = 0; i < n; ++i) {
      goro::go([&ran, &wg, i] {
        ran[i] = 1;
        wg.done();
      });
    }
    wg.wait();
    const int64_t ns = timer.elapsed_ns();
    int64_t check = 0;
    for (char r : ran) check += r;
    bench::report("spawn", check, ns);
    return 0;
  });
}
