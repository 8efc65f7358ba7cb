// goro::blocking runs its function on the M's system stack, which serves one goroutine after
// another: what one goroutine's blocking call left there is not history the next one races with.
// Twenty goroutines, each with its own locals, each through blocking(): no report.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 0
// CHECK-NOT: DATA RACE
// CHECK-STDOUT: sum 210
#include <unistd.h>

#include <cstdio>
#include <goro/goro.hpp>

struct pair {
  int a, b;
};

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    goro::Mutex mu;
    int sum = 0;
    for (int i = 0; i < 20; ++i) {
      wg.add(1);
      goro::go([&, i] {
        pair local{i, 0};
        const int rc = goro::blocking([&] {
          local.b = local.a + 1;
          return usleep(1000);
        });
        mu.lock();
        sum += local.b + rc;
        mu.unlock();
        wg.done();
      });
    }
    wg.wait();
    std::printf("sum %d\n", sum);
  });
}
