// Recursive read locking: total() holds the read lock and calls price(), which takes it again.
// RWMutex prefers writers, so a writer that starts waiting between the two read locks blocks the
// second one, and the writer itself waits for the first.
//
// Bad interleaving: main takes the read lock in total() and is switched out at price()'s
// prologue; the worker's lock() waits for main's read lock, and main's second lock_shared() waits
// behind the writer.
// Detected by: the runtime's deadlock report ("fatal error: all goroutines are asleep -
// deadlock!", exit 2). Plain build.
// Default schedule: main computes the total right after the go statement, before it blocks; the
// writer waits in main's runnext slot (an idle P steals it only after 3 us).
// Clean twin (-DCLEAN_TWIN): total() calls a price_locked() that expects the lock held.
//
// DETECT: deadlock
#include <mutex>
#include <shared_mutex>

#include "stress.hpp"

goro::RWMutex g_mu;
int g_prices[4] = {3, 5, 7, 11};  // guarded by g_mu

GORO_NOINLINE int price_locked(int item) { return stress::opaque(g_prices[item]); }

GORO_NOINLINE int price(int item) {
  std::shared_lock lock(g_mu);
  return price_locked(item);
}

int total() {
  std::shared_lock lock(g_mu);
  int sum = 0;
  for (int item = 0; item < 4; ++item) {
#ifdef CLEAN_TWIN
    sum += price_locked(item);
#else
    sum += price(item);  // read-locks again while holding the read lock
#endif
  }
  return sum;
}

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    wg.add(1);
    goro::go([&wg] {
      std::lock_guard lock(g_mu);
      g_prices[0] = 2;
      wg.done();
    });
    const int sum = total();
    wg.wait();
    return sum == 26 || sum == 25 ? 0 : 1;
  });
}
