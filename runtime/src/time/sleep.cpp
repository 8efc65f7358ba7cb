// goro::sleep: park the goroutine on a timer that lives on its own stack.
#include "debug/fatal.hpp"
#include "goro/time.hpp"
#include "sched/sched.hpp"
#include "time/timer.hpp"

namespace goro {

void sleep(std::chrono::nanoseconds d) {
  sched::G* g = sched::current_g();
  if (g == nullptr) debug::fatal("goroutine operation outside goro::run");
  if (d.count() <= 0) return;
  timers::timer t;
  t.when = timers::saturating_add(timers::now_ns(), d.count());
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
}

}  // namespace goro
