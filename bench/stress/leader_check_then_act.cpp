// Check-then-act on an atomic: a candidate becomes leader if nobody is, by a load and a later
// store, with a call in between.
//
// Bad interleaving: main loads "no leader", is switched out in announce(), and the worker then
// runs its whole election, finds no leader either and takes the role; main stores its own id over
// it. Both count themselves as leader.
// Detected by: main's check after both finished, "BUG: two leaders elected" (exit 1). Plain build.
// Default schedule: main runs its election right after the go statement and finishes it before it
// blocks; the worker waits in main's runnext slot (an idle P steals it only after 3 us).
// Clean twin (-DCLEAN_TWIN): the check and the act are one compare_exchange.
//
// DETECT: check
#include <atomic>

#include "stress.hpp"

std::atomic<int> g_leader{0};   // 0: nobody leads yet
std::atomic<int> g_elected{0};  // how many candidates believe they lead

GORO_NOINLINE void announce(int id) { stress::opaque(id); }

void run_for_leader(int id) {
#ifdef CLEAN_TWIN
  int nobody = 0;
  // acq_rel: the winner's announcement follows its claim; a loser sees the winner's id.
  if (!g_leader.compare_exchange_strong(nobody, id, std::memory_order_acq_rel)) return;
  announce(id);
#else
  // acquire/release: as in the clean twin, but the load and the store are two steps.
  if (g_leader.load(std::memory_order_acquire) != 0) return;
  announce(id);
  g_leader.store(id, std::memory_order_release);
#endif
  g_elected.fetch_add(1, std::memory_order_relaxed);  // relaxed: read after wg.wait()
}

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    wg.add(1);
    goro::go([&wg] {
      run_for_leader(2);
      wg.done();
    });
    run_for_leader(1);
    wg.wait();
    if (g_elected.load(std::memory_order_relaxed) != 1) stress::fail("two leaders elected");
  });
}
