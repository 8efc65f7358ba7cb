// goro::synctest::run and wait: making a bubble, and the loop of its root (run's caller), which
// moves the bubble's clock each time every member is durably blocked (see bubble.hpp).
#include "goro/synctest.hpp"

#include "debug/fatal.hpp"
#include "race/hooks.hpp"
#include "sched/sched.hpp"
#include "synctest/bubble.hpp"

namespace goro::synctest {
namespace {

// Where every bubble's clock starts: Go's 2000-01-01 00:00 UTC as a Unix time, on the steady clock.
constexpr std::int64_t kEpochNs = 946'684'800LL * 1'000'000'000LL;

bool idle(const bubble& b) GORO_REQUIRES(b.lock) { return b.running == 0 && b.active == 0; }

// park's callback for the root: it waits unless the bubble is idle already.
bool root_waits(sched::G* g, void* arg) {
  auto* b = static_cast<bubble*>(arg);
  sched::runtime_lock_guard l(b->lock);
  if (idle(*b)) return false;
  b->root = g;
  return true;
}

// park's callback for wait(): take the slot; the park path's accounting wakes it (bubble.cpp).
bool waiter_waits(sched::G* g, void* arg) {
  auto* b = static_cast<bubble*>(arg);
  sched::runtime_lock_guard l(b->lock);
  b->waiter = g;
  return true;
}

sched::G* calling_goroutine() {
  sched::G* g = sched::current_g();
  if (g == nullptr) debug::fatal("goroutine operation outside goro::run");
  return g;
}

}  // namespace

void run(std::function<void()> f) {
  sched::G* root = calling_goroutine();
  if (root->bubble != nullptr) panic("synctest.Run called from within a synctest bubble");
  auto* b = new bubble;
  b->now.store(kEpochNs, std::memory_order_relaxed);  // relaxed: published by the go statement
  // A go statement puts the new goroutine in its caller's bubble: the root steps in for it, and
  // again while it fires timers (after_func's goroutine and a ticker's next arming are the
  // bubble's). It never parks meanwhile, so the park accounting never sees it as a member.
  root->bubble = b;
  go([f = std::move(f)] { f(); });
  root->bubble = nullptr;
  for (;;) {
    sched::park(sched::wait_reason::synctest_run, root_waits, b);
    std::int64_t next = 0;
    {
      sched::runtime_lock_guard l(b->lock);
      if (!idle(*b)) continue;  // a goroutine outside woke a member meanwhile: wait again
      if (b->total == 0) break;
      // The clock stops when the main goroutine has returned (Go 1.25): members still blocked
      // then wait for nothing that will come. Lock order: bubble.lock, then the heap's.
      bool has_timer = false;
      if (!b->main_exited) {
        std::lock_guard heap(b->timers.lock);
        has_timer = !b->timers.heap.empty();
        if (has_timer) next = b->timers.heap.front()->when;  // INT64_MAX too: the end of time
      }
      if (!has_timer) {
        race::acquire(b);  // what the members did is ordered before whoever catches the panic
        // The members stay parked for ever, and keep the bubble: it is not freed.
        panic(b->main_exited ? "deadlock: main bubble goroutine has exited but blocked goroutines "
                               "remain"
                             : "deadlock: all goroutines in bubble are blocked");
      }
      // The root counts as active while it fires: a member woken by one of this instant's timers
      // must not see wait() return before the others due now have fired.
      ++b->active;
    }
    b->now.store(next, std::memory_order_relaxed);  // relaxed: see bubble::now
    // What the members did before they blocked happens before what the timers start: the fires
    // (values sent, goroutines started) carry the root's clock on, and the sleepers they wake
    // acquire it from &b->now (sleep.cpp). A snapshot, stored once per move: members woken at one
    // instant are not ordered with each other by it.
    race::acquire(b);
    race::release(&b->now);
    root->bubble = b;
    timers::run_due(b->timers, next);
    root->bubble = nullptr;
    fired(b);
  }
  race::acquire(b);  // every member's exit (goexit released) happens before run returns
  // A timer nobody stopped or received from may still be armed; its handles can outlive the
  // bubble, and a stop() would look for it in this heap: keep the bubble then.
  bool unused_timers;
  {
    std::lock_guard l(b->timers.lock);
    unused_timers = !b->timers.heap.empty();
  }
  if (!unused_timers) delete b;
}

void wait() {
  sched::G* g = calling_goroutine();
  bubble* b = g->bubble;
  if (b == nullptr) panic("synctest.Wait not called from within a bubble");
  {
    sched::runtime_lock_guard l(b->lock);
    if (b->waiter != nullptr) panic("synctest.Wait called from multiple goroutines");
  }
  sched::park(sched::wait_reason::synctest_wait, waiter_waits, b);
  race::acquire(b);  // what each member did before it last parked happens before wait returns
}

}  // namespace goro::synctest
