// No false partial deadlock under heavy contention: eight goroutines take two Mutexes in one
// consistent order, readers and writers share an RWMutex (readers also taking a Mutex inside), and
// a Mutex is locked by one goroutine and unlocked by another (Go allows it; a goroutine that locks
// it again meanwhile waits for a lock it holds itself, which is no partial deadlock). Many parks,
// no cycle: the program ends normally.
// OPT: -O0 -O2
// RUNS: 3 3
// CHECK-NOT: partial deadlock
// CHECK-STDOUT: total 80000
#include <cstdio>
#include <goro/goro.hpp>
#include <mutex>
#include <shared_mutex>

goro::Mutex first;
goro::Mutex second;
goro::RWMutex table;
goro::Mutex stats;
goro::Mutex handoff;
long total = 0;
long reads = 0;

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    for (int w = 0; w < 8; ++w) {
      wg.add(1);
      goro::go([&wg, w] {
        for (int i = 0; i < 10000; ++i) {
          if (i % 4 == w % 4) {
            std::lock_guard write(table);
            std::lock_guard f(first);
            ++total;
          } else {
            {
              std::shared_lock read(table);
              std::lock_guard s(stats);
              ++reads;
            }
            std::lock_guard f(first);
            std::lock_guard s(second);
            ++total;
          }
          if (i % 1000 == 0) goro::yield();
        }
        wg.done();
      });
    }
    for (int round = 0; round < 100; ++round) {
      handoff.lock();
      goro::go([] { handoff.unlock(); });
      handoff.lock();  // waits until the goroutine above unlocks it
      handoff.unlock();
    }
    wg.wait();
    std::printf("total %ld\n", total);
    return 0;
  });
}
