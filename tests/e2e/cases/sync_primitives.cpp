// The sync primitives doing their jobs across several threads: a Mutex-guarded counter, an RWMutex
// cache, a WaitGroup, a Once initialiser and a Cond-driven queue; the totals printed are exact.
// OPT: -O0 -O2
// ENV: GOMAXPROCS=4
// CHECK-STDOUT: mutex counter: 400000
// CHECK-STDOUT: rwmutex reads: 8000 torn: 0
// CHECK-STDOUT: once ran: 1 time(s), every caller saw 42
// CHECK-STDOUT: cond queue sum: 5000050000
// CHECK-NOT: panic
#include <atomic>
#include <cstdio>
#include <deque>
#include <goro/goro.hpp>
#include <mutex>
#include <shared_mutex>

int main() {
  return goro::run([] {
    {
      goro::Mutex mu;
      long counter = 0;
      goro::WaitGroup wg;
      for (int g = 0; g < 8; ++g) {
        wg.add(1);
        goro::go([&] {
          for (int i = 0; i < 50000; ++i) {
            std::lock_guard lock(mu);
            ++counter;
          }
          wg.done();
        });
      }
      wg.wait();
      std::printf("mutex counter: %ld\n", counter);
    }
    {
      goro::RWMutex rw;
      int a = 0, b = 0;  // the writers keep a == b
      std::atomic<int> reads{0}, torn{0};
      goro::WaitGroup wg;
      for (int g = 0; g < 8; ++g) {
        wg.add(1);
        goro::go([&, g] {
          for (int i = 0; i < 1000; ++i) {
            if (g < 2) {
              std::lock_guard lock(rw);
              ++a;
              goro::yield();
              ++b;
            }
            std::shared_lock lock(rw);
            reads.fetch_add(1);
            if (a != b) torn.fetch_add(1);
          }
          wg.done();
        });
      }
      wg.wait();
      std::printf("rwmutex reads: %d torn: %d\n", reads.load(), torn.load());
    }
    {
      goro::Once once;
      std::atomic<int> runs{0}, saw{0};
      int value = 0;
      goro::WaitGroup wg;
      for (int g = 0; g < 16; ++g) {
        wg.add(1);
        goro::go([&] {
          once.call([&] {
            runs.fetch_add(1);
            goro::yield();
            value = 42;
          });
          if (value == 42) saw.fetch_add(1);
          wg.done();
        });
      }
      wg.wait();
      std::printf("once ran: %d time(s), every caller saw %d\n", runs.load(),
                  saw.load() == 16 ? value : -1);
    }
    {
      goro::Mutex mu;
      goro::Cond cond(mu);
      std::deque<long> queue;
      bool closed = false;
      long sum = 0;
      goro::WaitGroup wg;
      for (int c = 0; c < 4; ++c) {
        wg.add(1);
        goro::go([&] {
          std::unique_lock lock(mu);
          for (;;) {
            while (queue.empty() && !closed) cond.wait();
            if (queue.empty()) break;
            sum += queue.front();
            queue.pop_front();
          }
          wg.done();
        });
      }
      for (long i = 1; i <= 100000; ++i) {
        {
          std::lock_guard lock(mu);
          queue.push_back(i);
        }
        cond.signal();
      }
      {
        std::lock_guard lock(mu);
        closed = true;
      }
      cond.broadcast();
      wg.wait();
      std::printf("cond queue sum: %ld\n", sum);
    }
  });
}
