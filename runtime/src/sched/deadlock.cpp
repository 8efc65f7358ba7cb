// Global deadlock detection, Go's checkdead rule: called with sched.lock held each time an M parks.
// If every M is parked, no goroutine can run unless something outside the runtime wakes one: a
// blocking() call returning (its M is not parked, so we never get here), a timer firing, or the
// netpoller. With none of those pending, every goroutine is blocked forever — unless a thread the
// runtime did not start is alive: the non-blocking operations (try_send, close, ...) work from any
// thread, so a plain std::thread may still wake a goroutine. Go has the same rule for threads that
// entered it from C (their extra Ms count as running); here every foreign thread counts, since the
// runtime cannot know which ones will call it. The price: a real deadlock is not reported while
// such a thread lives.
#include "debug/fatal.hpp"
#include "sched/os_thread.hpp"
#include "sched/sched.hpp"

namespace goro::sched {

void check_dead() {
  auto& s = sched();
  // acquire (started): pairs with become_m0's release. The counts (acquire, as in
  // timers::earliest) change by acq_rel read-modify-writes; only their values matter here.
  if (!s.started.load(std::memory_order_acquire) || s.dying) return;
  if (s.nm_total - s.nm_idle > 0) return;
  if (s.pending_timers.load(std::memory_order_acquire) > 0) return;
  if (s.netpoll_waiters.load(std::memory_order_acquire) > 0) return;
  if (s.runq.size() > 0)
    return;  // cannot happen with every M parked, but never report a false deadlock
  if (foreign_threads_exist()) return;
  s.dying = true;
  debug::fatal_deadlock();
}

}  // namespace goro::sched
