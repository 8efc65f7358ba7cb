// Atomicity violation across two lock sections: a withdrawal reads the balance under the lock,
// computes the fee outside it, and writes the new balance under the lock again. Every access is
// locked, so the race detector has nothing to say; the update can still be lost.
//
// Bad interleaving: main reads the balance, unlocks and is switched out in fee_for(); the worker
// makes its whole withdrawal; main then writes a balance computed from the old value.
// Detected by: main's check of the final balance, "BUG: a withdrawal was lost" (exit 1). Plain
// build.
// Default schedule: main withdraws right after the go statement, both lock sections included,
// before it blocks; the worker waits in main's runnext slot (an idle P steals it after 3 us).
// Clean twin (-DCLEAN_TWIN): read, fee and write are one critical section.
//
// DETECT: check
#include <mutex>

#include "stress.hpp"

goro::Mutex g_mu;
int g_balance = 1000;  // guarded by g_mu

GORO_NOINLINE int fee_for(int amount) { return stress::opaque(amount / 10); }

void withdraw(int amount) {
#ifdef CLEAN_TWIN
  std::lock_guard lock(g_mu);
  g_balance -= amount + fee_for(amount);
#else
  int balance;
  {
    std::lock_guard lock(g_mu);
    balance = g_balance;
  }
  const int fee = fee_for(amount);  // outside the lock: "it does not touch the balance"
  {
    std::lock_guard lock(g_mu);
    g_balance = balance - amount - fee;
  }
#endif
}

int main() {
  return goro::run([] {
    goro::WaitGroup wg;
    wg.add(1);
    goro::go([&wg] {
      withdraw(300);
      wg.done();
    });
    withdraw(100);
    wg.wait();
    std::lock_guard lock(g_mu);
    if (g_balance != 1000 - 110 - 330) stress::fail("a withdrawal was lost");
  });
}
