// Ms: OS threads. Creating them, parking idle ones and handing them a P, the thread-local "current
// M", and each M's system stack.
//
// Ms never exit: an idle M sleeps on its note until start_m() hands it a P. An M is created only
// when a P must run and no idle M exists, so their number stays near GOMAXPROCS plus the Ms blocked
// in blocking() calls.
#include <cxxabi.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include <cerrno>
#include <cstdint>

#include "debug/fatal.hpp"
#include "netpoll/netpoll.hpp"
#include "race/hooks.hpp"
#include "sched/os_thread.hpp"
#include "sched/proc.hpp"
#include "sysmon/stack_guard.hpp"
#include "trace/hooks.hpp"

namespace goro::sched {
namespace {

constexpr std::size_t kSystemStackSize = 256 * 1024;
constexpr std::size_t kSignalStackSize = 256 * 1024;

__attribute__((tls_model("initial-exec"))) thread_local M* tls_current_m = nullptr;

void init_thread_stack_bounds(M* m) {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstack(&attr, &m->g0_stack_lo, &m->g0_stack_size);
    pthread_attr_destroy(&attr);
  }
}

void* m_thread_main(void* arg) {
  M* m = static_cast<M*>(arg);
  init_m_thread(m);
  schedule_loop(m);
}

}  // namespace

__attribute__((noinline)) M* current_m() {
  M* m = tls_current_m;
  asm volatile("" ::: "memory");  // never merged with a read on the other side of a switch
  return m;
}

__attribute__((noinline)) void set_current_m(M* m) {
  tls_current_m = m;
  asm volatile("" ::: "memory");
}

G* current_g() {
  M* m = current_m();
  // relaxed: this M's own curg, written by this thread (see M::curg).
  return m != nullptr ? m->curg.load(std::memory_order_relaxed) : nullptr;
}

std::uint64_t fast_rand(M* m) {
  if (seeded() && m->p != nullptr) return seeded_rand(m->p);
  return wyrand(&m->rand_state);
}

M* new_m_struct() {
  auto& s = sched();
  M* m = new M;
  {
    runtime_lock_guard l(sched_lock);
    m->id = s.nm_total++;
  }
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  m->rand_state =
      static_cast<std::uint64_t>(ts.tv_nsec) ^ (reinterpret_cast<std::uintptr_t>(m) << 16);
  stack::stack sys = stack::allocate(kSystemStackSize);
  m->system_stack_lo = reinterpret_cast<void*>(sys.lo);
  m->system_stack_size = sys.size();
  return m;
}

void init_m_thread(M* m) {
  set_current_m(m);
  m->thread_errno = &errno;
  // Declared const (__attribute__((const))) by the C++ ABI header: asked here, on the thread's own
  // stack, before any goroutine runs on it.
  m->thread_eh = reinterpret_cast<eh_globals*>(abi::__cxa_get_globals());
  sysmon::register_thread_guard(m);
  m->thread = pthread_self();
  init_thread_stack_bounds(m);
#if defined(GORO_SANITIZE_THREAD)
  m->g0_tsan_fiber = __tsan_get_current_fiber();
#endif
  stack::stack alt = stack::allocate(kSignalStackSize);
  stack_t ss{};
  ss.ss_sp = reinterpret_cast<void*>(alt.lo);
  ss.ss_size = alt.size();
  sigaltstack(&ss, nullptr);
}

void start_m(P* p, bool spinning) {
  auto& s = sched();
  M* m = nullptr;
  {
    runtime_lock_guard l(sched_lock);
    if (p == nullptr) p = idle_p_get();
    if (p == nullptr) {
      // seq_cst: gives back the claim of wake_p's (or retake_p's) CAS, in the spinning protocol's
      // order like every nmspinning change (proc.cpp's top comment).
      if (spinning) s.nmspinning.fetch_sub(1, std::memory_order_seq_cst);
      return;
    }
    m = s.idle_ms;
    if (m != nullptr) {
      s.idle_ms = m->idle_link;
      --s.nm_idle;
      // Set under the lock: a parked M that times out reads it there to learn it was chosen.
      m->next_p = p;
      m->spinning = spinning;
    }
  }
  if (m != nullptr) {
    m->park.wake();
    return;
  }
  m = new_m_struct();
  acquire_p(m, p);
  m->spinning = spinning;
  // The new thread records m->thread itself (init_m_thread).
  if (start_detached_thread(m_thread_main, m) != 0) {
    debug::fatal_plain("runtime: failed to create new OS thread");
  }
}

// Parking protocol. An idle M sleeps on its note, listed in sched.idle_ms; only start_m() wakes
// it, after taking it off the list and setting next_p under sched.lock, so a wake-up always comes
// with a P. Timers and the network do not wake parked Ms: one M at a time waits for both in
// netpoll::poll() (proc.cpp), and timer_armed() breaks that wait for an earlier timer.
void stop_until_p(M* m) {
  auto& s = sched();
  {
    runtime_lock_guard l(sched_lock);
    m->idle_link = s.idle_ms;
    s.idle_ms = m;
    ++s.nm_idle;
    check_dead();
  }
  m->park.sleep();
  m->park.clear();
  trace::left_local_queue();  // the next start is not a moment after this M's last event
  acquire_p(m, m->next_p);
  m->next_p = nullptr;
}

void timer_armed(std::int64_t when) {
  auto& s = sched();
  // Pairs with the fence of an M about to block in poll (proc.cpp): either it reads this timer's
  // expiry when it computes its timeout, or we see it polling and break the wait.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  // relaxed: ordered by the fence above. poll_until: see poll_until_work (0 means break).
  if (s.last_poll.load(std::memory_order_relaxed) == 0) {
    const std::int64_t until = s.poll_until.load(std::memory_order_relaxed);
    if (until == 0 || until > when) netpoll::break_poll();
    return;
  }
  wake_p();  // nobody sleeps on timers: get an M looking (it will poll until `when` if idle)
}

void wake_idle_p(M* m) {
  auto& s = sched();
  // A caller without a P put its goroutine on the global queue, where nobody may look again: the
  // fence pairs with the seq_cst steps of an M giving up its P (see proc.cpp), so either we see
  // that M still spinning or it sees the goroutine. A caller with a P put the goroutine on that P's
  // own queue, which its M will reach by itself: a stale read here costs parallelism, never the
  // goroutine, and skipping the fence (a full barrier, ~8% of the spawn benchmark) is Go's choice.
  if (m == nullptr || m->p == nullptr) std::atomic_thread_fence(std::memory_order_seq_cst);
  // relaxed: after the fence these reads are ordered by it; without it they are hints (above).
  if (s.npidle.load(std::memory_order_relaxed) == 0) return;
  if (s.nmspinning.load(std::memory_order_relaxed) != 0) return;
  // acquire: pairs with become_m0's release; no M starts before run() has set M0 up.
  if (!s.started.load(std::memory_order_acquire)) return;
  // seq_cst: the CAS's atomicity makes one caller the claimer of the spinning slot; seq_cst keeps
  // it in the spinning protocol's order (Go's Cas).
  int expected = 0;
  if (!s.nmspinning.compare_exchange_strong(expected, 1, std::memory_order_seq_cst)) return;
  start_m(nullptr, true);
}

namespace {

struct system_call {
  void (*fn)(void*);
  void* arg;
  switch_target back;  // the goroutine's context
};

void system_stack_entry(transfer_t from) {
  context_entered();
  auto* call = static_cast<system_call*>(from.data);
  call->fn(call->arg);
  // Return to the goroutine; this context is simply abandoned (the next call makes a fresh one).
  switch_to(from.fctx, nullptr, call->back);
}

}  // namespace

void on_system_stack(void (*fn)(void*), void* arg) {
  M* m = current_m();
  // relaxed (both): this M's own curg (see M::curg).
  if (m == nullptr || m->curg.load(std::memory_order_relaxed) == nullptr || m->on_system_stack) {
    fn(arg);
    return;
  }
  G* g = m->curg.load(std::memory_order_relaxed);
  m->on_system_stack = true;
  sysmon::set_guard_for(nullptr);  // instrumented code called from here checks no goroutine stack
  system_call call{fn, arg, goroutine_target(g)};
  auto* top = static_cast<char*>(m->system_stack_lo) + m->system_stack_size;
  fcontext ctx = make_fcontext(top, m->system_stack_size, system_stack_entry);
  const std::uintptr_t race_note = race::system_stack_enter();
  switch_target system{m->system_stack_lo, m->system_stack_size, nullptr};
#if defined(GORO_SANITIZE_THREAD)
  // A fresh fiber per call: the system stack's context is abandoned when it jumps back, so a
  // reused fiber would keep one unreturned frame per call.
  system.tsan_fiber = __tsan_create_fiber(0);
#endif
  switch_to(ctx, &call, system);
#if defined(GORO_SANITIZE_THREAD)
  __tsan_destroy_fiber(system.tsan_fiber);
#endif
  race::system_stack_exit(reinterpret_cast<std::uintptr_t>(m->system_stack_lo),
                          reinterpret_cast<std::uintptr_t>(top), race_note);
  m->on_system_stack = false;
  sysmon::set_guard_for(g);
}

}  // namespace goro::sched
