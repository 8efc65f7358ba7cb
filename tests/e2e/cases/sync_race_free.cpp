// Correct use of every sync primitive creates the happens-before edges Go's race detector knows
// (unlock → lock, RUnlock → Lock, done → wait, Once's function → every call's return, the lock
// around Cond.wait), so none of these plain variables is reported.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// CHECK-STDOUT: done 4 4 4 1 1
// CHECK-NOT: DATA RACE
#include <cstdio>
#include <goro/goro.hpp>
#include <mutex>
#include <shared_mutex>

int main() {
  return goro::run([] {
    int locked = 0, shared = 0, waited = 0, once_value = 0, signalled = 0;
    goro::Mutex mu;
    goro::RWMutex rw;
    goro::WaitGroup wg;
    goro::Once once;
    goro::Cond cond(mu);
    bool ready = false;
    wg.add(4);
    for (int g = 0; g < 4; ++g) {
      goro::go([&] {
        {
          std::lock_guard lock(mu);
          ++locked;
        }
        {
          std::lock_guard lock(rw);
          ++shared;
        }
        {
          std::shared_lock lock(rw);
          (void)shared;
        }
        once.call([&] { once_value = 1; });
        (void)once_value;
        wg.done();
      });
    }
    wg.wait();
    waited = locked;  // done → wait orders every goroutine's writes before this read
    goro::go([&] {
      signalled = 1;
      std::lock_guard lock(mu);
      ready = true;
      cond.signal();
    });
    {
      std::unique_lock lock(mu);
      while (!ready) cond.wait();
    }
    std::printf("done %d %d %d %d %d\n", locked, shared, waited, once_value, signalled);
  });
}
