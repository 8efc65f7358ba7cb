// The scheduler: how goroutines (G) are multiplexed onto threads (M) through processors (P).
//
// Design, after Go's runtime (proc.go):
//
// An M runs goroutines only while it holds a P; there are GOMAXPROCS Ps. Each P has a local run
// queue (a 256-slot lock-free ring plus `runnext`); a mutex-protected global queue takes the
// overflow and goroutines made ready by threads that hold no P. An M looks for work in this order:
// every 61st schedule the global queue first (so the global queue cannot starve behind two
// goroutines that keep readying each other through runnext), then runnext and the local ring, then
// the global queue, then it steals half of a random victim's ring (runnext too, in the last round).
//
// Context switches: a goroutine that blocks, yields or exits leaves its stack first, and only then,
// off that stack, is it published as waiting and the caller's lock released (park's unlock
// callback), put back on a run queue or freed (handle_after_switch). So a goroutine can never be
// resumed by another M while it still runs on its stack, without any extra handshake. Where "off
// its stack" is depends on what runs next. When the local queue has a goroutine ready and nothing
// else find_runnable does first is due (hand_off_candidate), the leaving goroutine jumps straight
// to it (a hand-off): the arriving goroutine, on its own stack, finishes the leaver's switch out
// and its own switch in (arrived), and the channel ping-pong costs one jump per message. Otherwise
// it jumps to the M's own thread stack ("g0"), where the schedule loop does the same and looks for
// work. Preemption and a blocking call's return without a P always take the loop, whose global
// queue and timers are what they must reach.
//
// Spinning and parking Ms (Go's "worker thread parking/unparking"): an M that finds no work may
// spin (steal in a loop) only while spinning Ms are fewer than half the busy Ps. Whoever makes a
// goroutine runnable calls wake_p(), which starts (or unparks) one spinning M if some P is idle and
// no M is spinning already. A spinning M that finds work stops spinning and, if it was the last
// one, wakes another: so while work may remain, someone is looking, and a burst of readies wakes
// one M, not all. No lost wake-ups: an M that gives up first puts its P on the idle list, then
// decrements nmspinning, then looks at every run queue once more. A producer without a P (a foreign
// thread) publishes its goroutine on the global queue, then (after a full fence) reads npidle and
// nmspinning: either it sees the idle P with nobody spinning and starts an M, or the giving-up M's
// final look sees the goroutine. A producer with a P needs no fence: its goroutine sits on its own
// P's queue, which its M reaches by itself; a missed wake-up there delays parallelism, never the
// goroutine (Go's rule).
//
// The netpoller (netpoll/) is polled where Go polls it: without blocking by an M about to steal,
// and, blocking until the earliest timer, by the last M to give up its P when goroutines wait on
// descriptors or timers are pending. That M is the one sleeper for both (last_poll == 0 while it
// waits); arming an earlier timer breaks its wait (machines.cpp, timer_armed), and other idle Ms
// sleep on their notes until start_m hands them a P. A goroutine taken from runnext continues the
// time slice of the one that readied it (schedtick does not advance), so sysmon preempts a pair
// that keeps readying each other as it would one long runner.
//
// Global deadlock (Go's checkdead): when the last M parks with nothing to do and no goroutine can
// be woken by anything outside the runtime (no blocking() call in progress, no timer pending,
// nobody on the netpoller), every goroutine is blocked forever: report and exit 2.
#include "sched/proc.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>

#include "debug/fatal.hpp"
#include "goro/sync.hpp"
#include "netpoll/netpoll.hpp"
#include "race/built_once.hpp"
#include "race/hooks.hpp"
#include "race/switch_hooks.hpp"
#include "sched/invariants.hpp"
#include "sched/sched.hpp"
#include "sched/trampoline.hpp"
#include "stack/stack.hpp"
#include "synctest/bubble.hpp"
#include "sysmon/stack_guard.hpp"
#include "time/timer.hpp"
#include "trace/hooks.hpp"

// The running goroutine's holder token (g.hpp), which a goro::Mutex records on its inlined fast
// path (declared in <goro/sync.hpp>). Written at each switch in and out, by run_until_switch.
__attribute__((tls_model("initial-exec"))) __thread void* __goro_current_g = nullptr;

namespace goro::sched {
namespace {

constexpr int kStealRounds = 4;
constexpr std::uint32_t kGlobalCheckInterval = 61;

G* steal_work(M* m, P* p) {
  // relaxed: a hint; a P not there yet reads as null below, a retiring one is merely visited.
  const int n = sched().gomaxprocs.load(std::memory_order_relaxed);
  for (int round = 0; round < kStealRounds; ++round) {
    const bool last_round = round == kStealRounds - 1;
    const int start = static_cast<int>(fast_rand(m) % static_cast<std::uint64_t>(n));
    for (int i = 0; i < n; ++i) {
      // acquire: pairs with ensure_ps's release, publishing the P (see scheduler::all_ps).
      P* victim = sched().all_ps[(start + i) % n].load(std::memory_order_acquire);
      if (victim == nullptr || victim == p) continue;
      if (p->runq.empty() && victim->runq.steal_half_into(p->runq) > 0) return p->runq.pop_front();
      // The victim's runnext is likely about to run there: take it only when all else failed, and
      // if the victim is busy give it a moment first. A goroutine readied by a channel operation
      // sits in runnext while its waker finishes (~100 ns); stealing it at once bounces every
      // ping-pong pair between threads. 3 us is Go's figure: a generous multiple of that hand-over.
      // relaxed: both first reads are hints (m is only compared with null); the CAS takes g, and
      // its acquire (like the load's) pairs with runq_put's exchange, publishing g's fields.
      if (last_round && victim->runq.empty() &&
          victim->runq.runnext.load(std::memory_order_relaxed) != nullptr) {
        if (victim->m.load(std::memory_order_relaxed) != nullptr) usleep(3);
        if (G* g = victim->runq.runnext.load(std::memory_order_acquire)) {
          if (victim->runq.runnext.compare_exchange_strong(g, nullptr, std::memory_order_acq_rel))
            return g;
        }
      }
    }
  }
  return nullptr;
}

// After an M stops spinning with nothing found: is there any work it could have missed?
// seq_cst on the global length: the last step of giving up (top comment), after the
// seq_cst decrement of nmspinning; pairs with wake_p's fence. The local queues are best effort
// (Go's rule: their owners reach them), so gomaxprocs is a relaxed hint and all_ps is acquire
// as in steal_work.
bool work_visible_anywhere() {
  auto& s = sched();
  if (s.runq.approx_size(std::memory_order_seq_cst) > 0) return true;
  const int n = s.gomaxprocs.load(std::memory_order_relaxed);
  for (int i = 0; i < n; ++i) {
    P* pp = s.all_ps[i].load(std::memory_order_acquire);
    if (pp != nullptr &&
        (!pp->runq.empty() || pp->runq.runnext.load(std::memory_order_acquire) != nullptr)) {
      return true;
    }
  }
  return false;
}

void stop_spinning(M* m) {
  m->spinning = false;
  // The last spinner to find work wakes another, so work that arrived meanwhile still gets a taker.
  // seq_cst: an nmspinning step of the spinning protocol (top comment), as Go's Xadd.
  if (sched().nmspinning.fetch_sub(1, std::memory_order_seq_cst) == 1) wake_p();
}

// Takes the first goroutine of a netpoll list to run on m and makes the others runnable.
G* take_polled(M* m, g_queue& list) {
  G* g = list.head;
  inject_glist(g->schedlink, static_cast<int>(list.size - 1));
  // relaxed: g runs on this very M next; the netpoller's handshake gave it to us (poll_desc.cpp).
  change_status(g, {g_status::waiting}, g_status::runnable, std::memory_order_relaxed, "netpoll");
  trace::record(m, g, trace::ev::ready);
  return g;
}

// The M has given up its P and nothing is runnable: if goroutines wait on descriptors or timers
// are pending and no other M is polling, this one blocks in the netpoller until a descriptor is
// ready, the earliest timer is due or break_poll() is called (Go's findrunnable tail). Returns
// true if m then holds a P again (with *g a goroutine to run, or null: look again).
bool poll_until_work(M* m, G** g) {
  auto& s = sched();
  // acquire: counts read as hints, as in timers::earliest (nothing is reached through them).
  if (s.netpoll_waiters.load(std::memory_order_acquire) == 0 &&
      s.pending_timers.load(std::memory_order_acquire) == 0) {
    return false;
  }
  // seq_cst: claims the sleeper's role; its atomicity keeps a single blocking poller and makes
  // sysmon's CAS (also seq_cst) fail while it blocks; the fence below orders it before the timer
  // heap reads.
  if (s.last_poll.exchange(0, std::memory_order_seq_cst) == 0) return false;  // someone else polls
  // Pairs with timer_armed's fence: a timer armed before this point is seen by earliest().
  std::atomic_thread_fence(std::memory_order_seq_cst);
  const std::int64_t until = timers::earliest();
  // relaxed: timer_armed reads it only after seeing last_poll == 0 past its fence; a 0 it reads
  // (not stored yet, or reset below) means "unknown" and breaks the poll: the safe side.
  s.poll_until.store(until == INT64_MAX ? 0 : until, std::memory_order_relaxed);
  std::int64_t delay = -1;
  if (until != INT64_MAX) delay = std::max<std::int64_t>(0, until - timers::now_ns());
  g_queue list = netpoll::poll(delay);
  s.poll_until.store(0, std::memory_order_relaxed);  // relaxed: as above
  // seq_cst: gives the sleeper's role up in the same order as the exchange above; a timer_armed
  // that still reads 0 breaks a poll that is over, which costs one spurious wake-up.
  s.last_poll.store(timers::now_ns(), std::memory_order_seq_cst);
  P* p = nullptr;
  {
    runtime_lock_guard l(sched_lock);
    p = idle_p_get();
  }
  if (p == nullptr) {
    if (list.size > 0) inject_glist(list.head, static_cast<int>(list.size));
    return false;
  }
  acquire_p(m, p);
  *g = list.size > 0 ? take_polled(m, list) : nullptr;
  return true;
}

// Whether a lowered GOMAXPROCS has left p out. relaxed: a hint; p retires at most a schedule late.
inline bool p_retired(const scheduler& s, const P* p) {
  return p->id >= s.gomaxprocs.load(std::memory_order_relaxed);
}

// Whether this schedule takes one goroutine from the global queue before the local one: every
// kGlobalCheckInterval-th, if it has any. The length is a relaxed hint, acted on under sched.lock
// (see global_run_queue::approx_size).
inline bool global_queue_turn(const scheduler& s, P* p) {
  return p->schedtick.load() % kGlobalCheckInterval == 0 && s.runq.approx_size() > 0;
}

// Finds a goroutine to run; blocks the M while there is none. Returns with m->p held, not spinning;
// *inherit tells whether the goroutine continues the current time slice.
G* find_runnable(M* m, bool* inherit) {
  auto& s = sched();
top:
  *inherit = false;
  P* p = m->p;
  if (p_retired(s, p)) {
    if (m->spinning) {  // a parked M must not count as spinning, or wake_p would never fire again
      m->spinning = false;
      s.nmspinning.fetch_sub(1, std::memory_order_seq_cst);  // seq_cst: as in stop_spinning
    }
    retire_p(m);
    stop_until_p(m);
    goto top;
  }
  // Expired timers first: they may make goroutines runnable here (a sleeper's wake-up goes to
  // runnext).
  timers::run_expired();
  if (seeded()) {
    if (G* g = seeded_pick(p)) return g;
  }
  if (global_queue_turn(s, p)) {
    runtime_lock_guard l(sched_lock);
    if (G* g = global_runq_get(p, 1)) return g;
  }
  if (G* g = local_runq_get(p, inherit)) return g;
  trace::left_local_queue();
  if (s.runq.approx_size() > 0) {  // a hint, as in global_queue_turn
    runtime_lock_guard l(sched_lock);
    if (G* g = global_runq_get(p, 0)) return g;
  }
  // The network, without blocking, before stealing: a goroutine whose descriptor is ready can run
  // here at once. Skipped while another M blocks in poll (it gets the events anyway). relaxed:
  // hints; a non-blocking poll beside a blocked one is harmless.
  if (s.netpoll_waiters.load(std::memory_order_relaxed) > 0 &&
      s.last_poll.load(std::memory_order_relaxed) != 0) {
    g_queue list = netpoll::poll(0);
    if (list.size > 0) return take_polled(m, list);
  }
  // relaxed: the spinner limit is a heuristic; the increment is seq_cst as every nmspinning step
  // of the spinning protocol (top comment).
  const int busy =
      s.gomaxprocs.load(std::memory_order_relaxed) - s.npidle.load(std::memory_order_relaxed);
  if (m->spinning || 2 * s.nmspinning.load(std::memory_order_relaxed) < busy) {
    if (!m->spinning) {
      m->spinning = true;
      s.nmspinning.fetch_add(1, std::memory_order_seq_cst);
    }
    if (G* g = steal_work(m, p)) return g;
  }

  // Nothing anywhere: give the P back, then make sure nothing slipped in meanwhile. The seq_cst
  // steps are those of the top comment: npidle up (release_p), nmspinning down, then the global
  // length read seq_cst (work_visible_anywhere); wake_p's fence pairs with them.
  {
    runtime_lock_guard l(sched_lock);
    if (G* g = global_runq_get(p, 0)) return g;
    release_p(m);
  }
  if (m->spinning) {
    m->spinning = false;
    s.nmspinning.fetch_sub(1, std::memory_order_seq_cst);
    if (work_visible_anywhere()) {
      P* idle = nullptr;
      {
        runtime_lock_guard l(sched_lock);
        idle = idle_p_get();
      }
      if (idle != nullptr) {
        acquire_p(m, idle);
        m->spinning = true;
        s.nmspinning.fetch_add(1, std::memory_order_seq_cst);  // seq_cst: as above
        goto top;
      }
    }
  }
  G* polled = nullptr;
  if (poll_until_work(m, &polled)) {
    if (polled != nullptr) return polled;
    goto top;
  }
  stop_until_p(m);
  goto top;
}

// Carries out what the goroutine that just left asked for. Returns a goroutine to run at once, if
// any.
__attribute__((always_inline)) inline G* handle_after_switch(M* m, G* g) {
  switch (m->pending) {
    case after_switch::park: {
      m->pending = after_switch::none;
      // A synctest bubble counts g as blocked before the callback makes the wait visible to
      // wakers, and lets its clock move only after (synctest/bubble.hpp).
      synctest::bubble* bubble = g->bubble;
      if (bubble != nullptr) synctest::parking(bubble, g);
      // release: publishes reason and park_pc/park_fp to a dump's acquire (debug/dump.cpp). A
      // waker learns of g through the lock the unlock callback releases, not through the status.
      change_status(g, {g_status::running}, g_status::waiting, std::memory_order_release, "park");
      // Before the wait is visible: a waker's ready comes after it in the trace.
      trace::turn_ended(m, g, trace::ev::park, static_cast<std::uint8_t>(g->reason));
      unlock_fn unlock = m->pending_unlock;
      if (unlock != nullptr && !unlock(g, m->pending_arg)) {
        // The wait was called off: run it again at once (as Go does). relaxed: g stays here.
        change_status(g, {g_status::waiting}, g_status::runnable, std::memory_order_relaxed,
                      "park (called off)");
        trace::record(m, g, trace::ev::ready);
        if (bubble != nullptr) synctest::parked(bubble, g, true);
        return g;
      }
      if (bubble != nullptr) synctest::parked(bubble, g, false);
      return nullptr;
    }
    // relaxed (yield, preempted, syscall_no_p): g is handed over by the run queue's own
    // release/acquire or by sched.lock; a dump reading the status takes a best-effort snapshot.
    case after_switch::yield:
      m->pending = after_switch::none;
      change_status(g, {g_status::running}, g_status::runnable, std::memory_order_relaxed, "yield");
      trace::turn_ended(m, g, trace::ev::yield);
      if (seeded()) m->p->seeded.yielder = g;
      runq_put(m->p, g, false);
      return nullptr;
    case after_switch::preempted:
      // To the global queue, as Go's gopreempt_m: what became runnable meanwhile from outside this
      // P (goroutines a network poll or another thread readied) runs before the preempted one.
      m->pending = after_switch::none;
      change_status(g, {g_status::running}, g_status::runnable, std::memory_order_relaxed,
                    "preempt");
      trace::turn_ended(m, g, trace::ev::yield);
      global_runq_put_and_wake(g);
      return nullptr;
    case after_switch::exit:
      m->pending = after_switch::none;
      finish_goroutine(m, g);
      return nullptr;
    case after_switch::syscall_no_p:
      m->pending = after_switch::none;
      change_status(g, {g_status::syscall}, g_status::runnable, std::memory_order_relaxed,
                    "exit_syscall");
      trace::turn_ended(m, g, trace::ev::yield);
      global_runq_put_and_wake(g);
      return nullptr;
    case after_switch::none:
      return nullptr;
  }
  return nullptr;
}

// Gives g a context to start from, the first time it runs.
void prepare_context(M* m, G* g) {
  if (g->saved_context != nullptr) return;
  if (g->stack.empty() || g->stack_request > g->stack.size())
    g->stack = take_stack(m->p, g->stack_request);
  g->saved_context =
      make_fcontext(reinterpret_cast<void*>(g->stack.hi), g->stack.size(), goroutine_entry);
#if defined(GORO_SANITIZE_THREAD)
  g->tsan_fiber = __tsan_create_fiber(0);
#endif
}

// The M takes g on: the bookkeeping of a switch in, done before g's own code runs (on the
// scheduler stack before the jump, or on g's stack after a hand-off).
__attribute__((always_inline)) inline void enter(M* m, G* g, bool inherit) {
  m->curg.store(g, std::memory_order_relaxed);  // relaxed: see M::curg
  __goro_current_g = holder_token(g);
  g->m = m;
  // relaxed: g reached this M through a run queue or sched.lock; a dump that reads `running`
  // reads none of g's other fields.
  change_status(g, {g_status::runnable}, g_status::running, std::memory_order_relaxed, "execute");
  trace::started(m, g);
  if (m->p != nullptr) {
    m->p->turn_spawns = 0;
    if (!inherit) m->p->schedtick.bump();
  }
  *m->thread_errno = g->saved_errno;
  *m->thread_eh = g->saved_eh;
  race::switch_in(g);
  sysmon::set_guard_for(g);
  stack::prefetch_canary(g->stack);
}

// g is off its stack, which it left at `context`: save what the switch out must keep. Before
// anything publishes g (handle_after_switch), so a waker that resumes it finds its context.
__attribute__((always_inline)) inline void left(M* m, G* g, fcontext context) {
  sysmon::set_guard_for(nullptr);
  g->saved_context = context;
  g->saved_errno = *m->thread_errno;
  g->saved_eh = *m->thread_eh;
  race::switch_out(g);
  m->curg.store(nullptr, std::memory_order_relaxed);  // relaxed: see M::curg
  __goro_current_g = nullptr;
  if (!stack::canary_intact(g->stack)) debug::fatal_stack_overflow(g);
}

// Switches to g and returns the goroutine that switched back to the scheduler, its state saved:
// g, or one g handed this M over to (see the top comment).
G* run_until_switch(M* m, G* g, bool inherit) {
  prepare_context(m, g);
  enter(m, g, inherit);
  transfer_t back = switch_to(g->saved_context, m, goroutine_target(g));
  // Back on this M's scheduler stack; the goroutine that jumped here passed itself.
  G* out = static_cast<G*>(back.data);
  left(m, out, back.fctx);
  return out;
}

// The goroutine a switch out of m's current one may jump to directly, skipping the scheduler
// stack: what find_runnable would return at once from the local queue, when nothing else it does
// first is due (retiring the P, a seeded schedule, timers, the periodic look at the global queue).
__attribute__((always_inline)) inline G* hand_off_candidate(M* m, bool* inherit) {
  auto& s = sched();
  P* p = m->p;
  // relaxed, all: hints, as the same reads in find_runnable; a late one defers that work to the
  // next pass through the scheduler stack.
  if (p == nullptr || seeded() || s.pending_timers.load(std::memory_order_relaxed) != 0 ||
      p_retired(s, p) || global_queue_turn(s, p)) {
    return nullptr;
  }
  return local_runq_get(p, inherit);
}

scheduler* new_scheduler() { return new scheduler; }

}  // namespace

std::atomic<scheduler*> g_scheduler{nullptr};

scheduler& make_sched() {
  // Never destroyed: Ms keep running while the process exits.
  scheduler* s = built_once<new_scheduler>();
  g_scheduler.store(s, std::memory_order_release);  // every caller stores the same pointer
  return *s;
}

void execute(M* m, G* g, bool inherit) {
  do {
    g = handle_after_switch(m, run_until_switch(m, g, inherit));
    inherit = true;  // a cancelled park resumes within its slice
  } while (g != nullptr);
}

[[noreturn]] void schedule_loop(M* m) {
  for (;;) {
    if (m->p == nullptr) stop_until_p(m);
    bool inherit = false;
    G* g = find_runnable(m, &inherit);
    if (m->spinning) stop_spinning(m);
    execute(m, g, inherit);
  }
}

void switch_to_scheduler(M* m, after_switch why, unlock_fn unlock, void* arg) {
  G* g = m->curg.load(std::memory_order_relaxed);  // relaxed: this M's own curg (M::curg)
  m->pending = why;
  m->pending_unlock = unlock;
  m->pending_arg = arg;
  transfer_t resumed;
  bool inherit = false;
  G* next = why == after_switch::preempted || why == after_switch::syscall_no_p
                ? nullptr
                : hand_off_candidate(m, &inherit);
  if (next != nullptr) {
    prepare_context(m, next);
    m->handoff_from = g;
    m->handoff_to = next;
    m->handoff_inherit = inherit;
    resumed = switch_to(next->saved_context, m, goroutine_target(next));
  } else {
    resumed = switch_to(m->g0_context, g, scheduler_target(m));
  }
  arrived(resumed);
}

G* arrived(transfer_t from) {
  // Possibly another M than the one we left on: it passed itself.
  M* m = static_cast<M*>(from.data);
  G* prev = m->handoff_from;
  if (prev == nullptr) {  // from the scheduler stack, which set everything up
    m->g0_context = from.fctx;
    return m->curg.load(std::memory_order_relaxed);  // relaxed: this M's own curg (M::curg)
  }
  // Handed over by prev: finish its switch out here, as the scheduler stack would have, then ours
  // in.
  m->handoff_from = nullptr;
  left(m, prev, from.fctx);
  if (G* again = handle_after_switch(m, prev)) runq_put(m->p, again, true);  // a cancelled park
  G* self = m->handoff_to;
  enter(m, self, m->handoff_inherit);
  return self;
}

}  // namespace goro::sched
