// shared_ptr and weak_ptr copies owned by different goroutines are race-free: main drops its strong
// and then its weak reference while a goroutine drops the last strong one. libstdc++'s release
// fast path reads both counts with one 8-byte load; the race build turns it off (_GLIBCXX_TSAN).
// RUN-FLAGS: -race
// OPT: -O0 -O1
// ENV: GOMAXPROCS=1
// RUNS: 10 10
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: done
#include <cstdio>
#include <goro/goro.hpp>
#include <memory>

struct object {
  long value = 7;
};

int main() {
  return goro::run([] {
    for (int i = 0; i < 100; ++i) {
      auto p = std::make_shared<object>();
      std::weak_ptr<object> w = p;
      goro::WaitGroup wg;
      wg.add(1);
      goro::go(
          [&wg](std::shared_ptr<object> q) {
            goro::yield();
            q.reset();
            wg.done();
          },
          p);
      p.reset();
      w.reset();
      wg.wait();
    }
    std::printf("done\n");
    return 0;
  });
}
