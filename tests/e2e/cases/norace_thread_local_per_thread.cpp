// The clean twin of race_thread_local_escapes_to_another_thread: each thread counts in its own
// thread_local (same name, different memory), hands its total over with release/acquire, and
// goroutines on the same threads use a thread_local scratch value one after another.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// CHECK-NOT: WARNING: DATA RACE
// CHECK-STDOUT: total 4000 scratch ok
#include <atomic>
#include <cstdio>
#include <goro/goro.hpp>
#include <thread>
#include <vector>

thread_local long t_count;
thread_local int t_scratch;

int main() {
  std::atomic<long> total{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&total] {
      for (int i = 0; i < 1000; ++i) ++t_count;
      long* mine = &t_count;
      total.fetch_add(*mine, std::memory_order_acq_rel);
    });
  }
  for (std::thread& t : threads) t.join();
  std::printf("total %ld ", total.load());
  return goro::run([] {
    goro::WaitGroup wg;
    for (int g = 0; g < 8; ++g) {
      wg.add(1);
      goro::go([&wg, g] {
        t_scratch = g;
        goro::yield();
        t_scratch += 1;
        wg.done();
      });
    }
    wg.wait();
    std::printf("scratch ok\n");
    return 0;
  });
}
