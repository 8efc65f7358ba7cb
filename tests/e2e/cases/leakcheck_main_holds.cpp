// goro::leakcheck() called by a test at its end: a goroutine blocked on a channel that main still
// holds is reported as still blocked, not leaked (main may yet send). Once main closes the channel
// and the goroutine has finished, a second check finds nothing and prints nothing.
// ENV: GOMAXPROCS=1
// CHECK: leak check: 1 goroutine left: 0 leaked, 1 still blocked, 0 still running
// CHECK-RE: ^1 goroutine still blocked \[chan receive\], created at .*leakcheck_main_holds\.cpp:\d+
// CHECK-RE: ^goroutine 2 \[chan receive\]:$
// CHECK-NOT: leaked [
// CHECK-NOT: blocked for ever
// CHECK-STDOUT: first check: 1
// CHECK-STDOUT: second check: 0
#include <cstdio>
#include <goro/goro.hpp>

int main() {
  return goro::run([] {
    auto jobs = goro::make_chan<int>();
    goro::go([jobs] {
      for (int j : jobs) std::printf("job %d\n", j);
    });
    goro::yield();
    std::printf("first check: %d\n", goro::leakcheck());
    std::fflush(stdout);
    jobs.close();
    goro::yield();
    std::printf("second check: %d\n", goro::leakcheck());
    return 0;
  });
}
