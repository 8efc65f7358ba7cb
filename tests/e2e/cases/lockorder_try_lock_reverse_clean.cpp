// One goroutine takes A then B; a later one holds B and takes A only with try_lock (a call that
// cannot wait, so it cannot deadlock): no edge B→A, no inversion. A lock taken by try_lock is still
// the source of edges to locks taken later (A→C below, consistent with the first phase's order).
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 0
// CHECK-NOT: lock-order
// CHECK-NOT: DATA RACE
#include <goro/goro.hpp>
#include <mutex>

goro::Mutex a, b, c;

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    wg.add(1);
    goro::go([&] {
      std::lock_guard la(a);
      std::lock_guard lb(b);
      std::lock_guard lc(c);
      wg.done();
    });
    wg.wait();
    wg.add(1);
    goro::go([&] {
      std::lock_guard lb(b);
      if (a.try_lock()) {
        std::lock_guard lc(c);
        a.unlock();
      }
      wg.done();
    });
    wg.wait();
  });
}
