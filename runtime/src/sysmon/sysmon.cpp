// sysmon: a thread outside the scheduler (it holds no P and runs no goroutine) that asks goroutines
// running for more than kForcePreempt without a switch to yield at their next safe point, as Go's
// sysmon does (forcePreemptNS = 10 ms). Safe points exist only in code compiled by `goro c++` (the
// plugin's prologue and back-edge checks); other code runs until it blocks or yields.
//
// A P's schedtick advances at every goroutine it starts; one that has not moved for kForcePreempt
// while the P is running means one goroutine has had the P all that time. Blocking calls need no
// retaking here: blocking() hands its P off as it enters.
//
// It reads other Ps' fields without their owners' cooperation: racy by design, with relaxed atomic
// loads; a stale value at worst delays or repeats a harmless request.
#include "sysmon/sysmon.hpp"

#include <pthread.h>
#include <time.h>

#include <array>

#include "sched/sched.hpp"
#include "sched/os_thread.hpp"
#include "sysmon/stack_guard.hpp"
#include "time/timer.hpp"

namespace goro::sysmon {
namespace {

constexpr std::int64_t kForcePreempt = 10'000'000;  // ns, Go's forcePreemptNS
constexpr long kTick = 5'000'000;                   // ns between looks: preemption within 10-15 ms

struct p_watch {
  std::uint32_t tick = 0;
  std::int64_t since = 0;  // when tick was last seen to change (or a request was posted)
};

void* sysmon_main(void*) {
  auto& s = sched::sched();
  std::array<p_watch, sched::kMaxProcs> watch{};
  for (;;) {
    timespec ts{0, kTick};
    nanosleep(&ts, nullptr);
    const std::int64_t now = timers::now_ns();
    const int n = s.nprocs_allocated.load(std::memory_order_acquire);
    for (int i = 0; i < n; ++i) {
      sched::P* p = s.all_ps[i];
      p_watch& w = watch[i];
      const std::uint32_t tick = __atomic_load_n(&p->schedtick, __ATOMIC_RELAXED);
      sched::M* m = __atomic_load_n(&p->m, __ATOMIC_RELAXED);
      if (tick != w.tick || m == nullptr) {
        w.tick = tick;
        w.since = now;
        continue;
      }
      if (now - w.since >= kForcePreempt && __atomic_load_n(&m->curg, __ATOMIC_RELAXED) != nullptr) {
        request_preempt(m);
        w.since = now;
      }
    }
  }
  return nullptr;
}

}  // namespace

void start() { sched::start_detached_thread(sysmon_main, nullptr); }

}  // namespace goro::sysmon
