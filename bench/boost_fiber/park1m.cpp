// park1m (Boost.Fiber): N fibers blocked at once on one shared unbuffered_channel; once all have
// started, main closes it and waits for all to finish. Figure of interest: peak RSS. Check:
// receivers that saw the close (N). See bench/go/park1m/main.go.
#include <vector>

#include "bench_harness.hpp"
#include "fiber_runtime.hpp"

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 1'000'000);
  std::vector<char> saw_close(n);
  boost::fibers::unbuffered_channel<int> c;
  fiber_bench::wait_group started, finished;
  fiber_bench::run([&] {
    bench::stopwatch timer;
    started.add(n);
    finished.add(n);
    for (int64_t i = 0; i < n; ++i) {
      fiber_bench::go([&, i] {
        started.done();
        int v = 0;
        if (c.pop(v) == boost::fibers::channel_op_status::closed) saw_close[i] = 1;
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
  });
}
