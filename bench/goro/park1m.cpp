// park1m (goro): N goroutines blocked at once, each receiving from one shared unbuffered channel;
// once all have started (WaitGroup), main closes it and waits for all to finish. Figure of
// interest: peak RSS. Check: receivers that saw the close (N).
// Twins: bench/go/park1m/main.go, bench/boost_fiber/park1m.cpp.
#include <goro/goro.hpp>
#include <vector>

#include "bench_harness.hpp"

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 1'000'000);
  return goro::run([n] {
    std::vector<char> saw_close(n);
    bench::stopwatch timer;
    auto c = goro::make_chan<int>(0);
    goro::WaitGroup started, finished;
    started.add(static_cast<int>(n));
    finished.add(static_cast<int>(n));
    for (int64_t i = 0; i < n; ++i) {
      goro::go([&saw_close, &started, &finished, c, i] {
        started.done();
        if (!c.recv_ok()) saw_close[i] = 1;
        finished.done();
      });
    }
    started.wait();
    c.close();
    finished.wait();
    const int64_t ns = timer.elapsed_ns();
    int64_t check = 0;
    for (char s : saw_close) check += s;
    bench::report("park1m", check, ns);
    return 0;
  });
}
