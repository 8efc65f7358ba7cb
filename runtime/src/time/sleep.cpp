// goro::sleep: park the goroutine on a timer that lives on its own stack. goro::now: the clock it
// sleeps by (a synctest bubble's, inside one).
#include "debug/fatal.hpp"
#include "goro/time.hpp"
#include "race/hooks.hpp"
#include "sched/sched.hpp"
#include "synctest/bubble.hpp"
#include "time/timer.hpp"

namespace goro {

void sleep(std::chrono::nanoseconds d) {
  sched::G* g = sched::current_g();
  if (g == nullptr) debug::fatal("goroutine operation outside goro::run");
  if (d.count() <= 0) return;
  timers::timer t;
  t.bubble = g->bubble;
  t.when = timers::saturating_add(synctest::now_ns(), d.count());
  t.arg = g;
  t.fire = [](timers::timer*, void* arg, std::uint64_t, std::int64_t) {
    sched::ready(static_cast<sched::G*>(arg));
  };
  // Armed only once the goroutine is off its stack, so the wake-up cannot overtake the park.
  sched::park(
      sched::wait_reason::sleep,
      [](sched::G*, void* timer) {
        timers::add(static_cast<timers::timer*>(timer));
        return true;
      },
      &t);
  // In a bubble the clock moves only once every member is durably blocked: what any of them did
  // before happens before what a sleeper does after waking (the root's snapshot of it all; a
  // timer's channel value and an after_func's goroutine carry it on by themselves).
  if (t.bubble != nullptr) race::acquire(&t.bubble->now);
}

time_point now() { return time_point(std::chrono::nanoseconds(synctest::now_ns())); }

}  // namespace goro
