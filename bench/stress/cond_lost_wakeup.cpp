// Lost wake-up: the waiter calls Cond::wait() without checking the condition, trusting that the
// signal cannot come before it waits because main signals only after the waiter said "started".
//
// Bad interleaving: the waiter is switched out in get_ready(), between sending "started" and
// locking the mutex; main sets the flag and signals while nobody waits, and the waiter then waits
// for a signal that already came.
// Detected by: the runtime's deadlock report (main waits for "finished", the waiter in
// Cond::wait: "fatal error: all goroutines are asleep - deadlock!", exit 2). Plain build.
// Default schedule: the send on "started" readies main into the waiter's runnext slot, and the
// waiter runs on into Cond::wait() before main gets the P back (an idle P steals runnext only
// after 3 us).
// Clean twin (-DCLEAN_TWIN): the waiter waits in a loop on the flag, under the mutex.
//
// DETECT: deadlock
#include <mutex>

#include "stress.hpp"

goro::Mutex g_mu;
goro::Cond g_cond(g_mu);
bool g_ready = false;  // guarded by g_mu

GORO_NOINLINE void get_ready() { stress::opaque(1); }

void waiter(goro::chan<bool> started, goro::chan<bool> finished) {
  started.send(true);
  get_ready();
  std::unique_lock lock(g_mu);
#ifdef CLEAN_TWIN
  while (!g_ready) g_cond.wait();
#else
  g_cond.wait();  // "main signals after started, and we are about to wait": not always
#endif
  finished.send(true);
}

int main() {
  return goro::run([] {
    auto started = goro::make_chan<bool>();
    auto finished = goro::make_chan<bool>();
    goro::go(waiter, started, finished);
    started.recv();
    {
      std::lock_guard lock(g_mu);
      g_ready = true;
    }
    g_cond.signal();
    finished.recv();
  });
}
