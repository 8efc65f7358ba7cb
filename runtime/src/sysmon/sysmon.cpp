// sysmon: a thread outside the scheduler (it holds no P and runs no goroutine) that watches the Ps,
// as Go's sysmon does:
//  - a P whose M has been in a blocking() call since sysmon's previous look is retaken and handed
//  to
//    another M if it has work (or nobody else could take some), or, however idle, once the call has
//    lasted 10 ms (sched::retake_p);
//  - a goroutine running for more than kForcePreempt without a switch is asked to yield at its next
//    safe point. Safe points exist only in code compiled by `goro c++` (the plugin's prologue and
//    back-edge checks); other code runs until it blocks or yields. A goroutine taken from runnext
//    continues its predecessor's time slice, so two goroutines that keep readying each other count
//    as one long runner;
//  - if nobody has polled the network for 10 ms, it polls and queues what became ready.
// It sleeps 20 us between looks while it finds work, doubling up to 10 ms after 1 ms of finding
// none (Go's adaptive delay).
//
// It reads other Ps' fields without their owners' cooperation: racy by design, with relaxed atomic
// loads; a stale value at worst delays or repeats a harmless request.
#include "sysmon/sysmon.hpp"

#include <pthread.h>
#include <time.h>

#include <array>

#include "netpoll/netpoll.hpp"
#include "sched/os_thread.hpp"
#include "sched/sched.hpp"
#include "sysmon/stack_guard.hpp"
#include "time/timer.hpp"

namespace goro::sysmon {
namespace {

constexpr std::int64_t kForcePreempt = 10'000'000;       // ns, Go's forcePreemptNS
constexpr std::int64_t kMinDelay = 20'000;               // ns between looks while busy
constexpr std::int64_t kMaxDelay = 10'000'000;           // ns between looks when all is quiet
constexpr int kIdleLooksBeforeBackoff = 50;              // 50 x 20 us = 1 ms
constexpr std::int64_t kSyscallRetakeIdle = 10'000'000;  // retake even an idle P after this long
constexpr std::int64_t kPollInterval = 10'000'000;  // poll the network if nobody has for this long

struct p_watch {
  std::uint32_t schedtick = 0;
  std::int64_t sched_since = 0;  // when schedtick was last seen to change (or a request was posted)
  std::uint32_t syscalltick = 0;
  std::int64_t syscall_since = 0;  // when syscalltick was last seen to change
};

// Looks at every P once. Returns how many were retaken from system calls.
int retake(std::array<p_watch, sched::kMaxProcs>& watch, std::int64_t now) {
  auto& s = sched::sched();
  int retaken = 0;
  // acquire: pairs with ensure_ps's release, publishing all_ps[0, n) and those Ps.
  const int n = s.nprocs_allocated.load(std::memory_order_acquire);
  for (int i = 0; i < n; ++i) {
    sched::P* p = s.all_ps[i].load(std::memory_order_acquire);
    p_watch& w = watch[i];
    // acquire: pairs with enter_syscall's release; what we read next is still only a hint, and
    // retake_p's CAS (acq_rel) is what takes the P.
    const sched::p_status status = p->status.load(std::memory_order_acquire);
    if (status == sched::p_status::syscall) {
      const std::uint32_t tick = p->syscalltick.load();
      if (tick != w.syscalltick) {  // a new call since the last look: give it a tick
        w.syscalltick = tick;
        w.syscall_since = now;
        continue;
      }
      // An idle P is not worth a thread wake-up while other Ps or spinning Ms can take new work,
      // unless the call has gone on for long. relaxed: hints (file comment).
      const bool has_work =
          !p->runq.empty() || p->runq.runnext.load(std::memory_order_relaxed) != nullptr;
      if (!has_work &&
          s.nmspinning.load(std::memory_order_relaxed) + s.npidle.load(std::memory_order_relaxed) >
              0 &&
          now - w.syscall_since < kSyscallRetakeIdle) {
        continue;
      }
      if (sched::retake_p(p)) ++retaken;
      continue;
    }
    const std::uint32_t tick = p->schedtick.load();
    // acquire: pairs with acquire_p's release; we dereference m (see P::m).
    sched::M* m = p->m.load(std::memory_order_acquire);
    if (status != sched::p_status::running || tick != w.schedtick || m == nullptr) {
      w.schedtick = tick;
      w.sched_since = now;
      continue;
    }
    // relaxed: a hint; a stale curg at worst posts a request a goroutine ignores or gets late.
    // Not in a seeded schedule: a preemption would make the run depend on the clock.
    if (now - w.sched_since >= kForcePreempt && !sched::seeded() &&
        m->curg.load(std::memory_order_relaxed) != nullptr) {
      request_preempt(m);
      w.sched_since = now;
    }
  }
  return retaken;
}

// Polls the network if nobody has for kPollInterval, and queues what became ready.
void poll_network(std::int64_t now) {
  auto& s = sched::sched();
  // relaxed: hints; the CAS decides. Its atomicity (seq_cst, as poll_until_work's exchange(0))
  // is what keeps us out once an M has started to block in poll.
  if (!netpoll::initialized() || s.netpoll_waiters.load(std::memory_order_relaxed) == 0) return;
  std::int64_t last = s.last_poll.load(std::memory_order_relaxed);
  if (last == 0 || now - last < kPollInterval) return;
  if (!s.last_poll.compare_exchange_strong(last, now, std::memory_order_seq_cst)) return;
  sched::g_queue list = netpoll::poll(0);
  if (list.size > 0) sched::inject_glist(list.head, static_cast<int>(list.size));
}

void* sysmon_main(void*) {
  std::array<p_watch, sched::kMaxProcs> watch{};
  std::int64_t delay = kMinDelay;
  int idle = 0;
  for (;;) {
    timespec ts{0, static_cast<long>(delay)};
    nanosleep(&ts, nullptr);
    const std::int64_t now = timers::now_ns();
    poll_network(now);
    // Only retaking counts as activity (as Go): a poll finds work whenever the network is busy,
    // and would keep sysmon at its fastest pace for no benefit.
    if (retake(watch, now) > 0) {
      idle = 0;
    } else {
      ++idle;
    }
    if (idle == 0) {
      delay = kMinDelay;
    } else if (idle > kIdleLooksBeforeBackoff) {
      delay = std::min(delay * 2, kMaxDelay);
    }
  }
  return nullptr;
}

}  // namespace

void start() { sched::start_detached_thread(sysmon_main, nullptr); }

}  // namespace goro::sysmon
