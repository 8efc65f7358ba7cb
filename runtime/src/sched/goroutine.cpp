// A goroutine's life: creation (reusing dead Gs; stacks through a per-P cache), parking and
// readying, yielding, blocking system calls, and exit.
#include <cerrno>
#include <new>
#include <string>

#include "debug/fatal.hpp"
#include "race/hooks.hpp"
#include "sched/context.hpp"
#include "sched/g_chunks.hpp"
#include "sched/invariants.hpp"
#include "sched/proc.hpp"
#include "sched/trampoline.hpp"
#include "synctest/bubble.hpp"
#include "trace/hooks.hpp"

namespace goro::sched {
namespace {

constexpr std::uint32_t kFreeGCacheMax =
    64;  // per P, as Go: beyond it half goes to the global list
constexpr std::int64_t kGoidBatch = 16;

// relaxed (both fetch_adds): ids need only be unique, which the read-modify-write gives; nothing
// is published through the counter.
std::int64_t next_goid(P* p) {
  auto& s = sched();
  if (p == nullptr) return s.goid_counter.fetch_add(1, std::memory_order_relaxed) + 1;
  if (p->goid_next == p->goid_end) {
    p->goid_next = s.goid_counter.fetch_add(kGoidBatch, std::memory_order_relaxed) + 1;
    p->goid_end = p->goid_next + kGoidBatch;
  }
  return p->goid_next++;
}

// free_g_count, here and below: relaxed. The list it counts changes under sched.lock, which also
// orders the count for lock holders; the unlocked peek is a hint, and the list is re-read locked.
G* free_g_get(P* p) {
  auto& s = sched();
  if (p != nullptr && p->free_gs == nullptr && s.free_g_count.load(std::memory_order_relaxed) > 0) {
    runtime_lock_guard l(sched_lock);
    while (p->free_g_count < kFreeGCacheMax / 2 && s.free_gs != nullptr) {
      G* g = s.free_gs;
      s.free_gs = g->schedlink;
      s.free_g_count.fetch_sub(1, std::memory_order_relaxed);
      g->schedlink = p->free_gs;
      p->free_gs = g;
      ++p->free_g_count;
    }
  }
  if (p != nullptr) {
    G* g = p->free_gs;
    if (g != nullptr) {
      p->free_gs = g->schedlink;
      --p->free_g_count;
    }
    return g;
  }
  runtime_lock_guard l(sched_lock);
  G* g = s.free_gs;
  if (g != nullptr) {
    s.free_gs = g->schedlink;
    s.free_g_count.fetch_sub(1, std::memory_order_relaxed);
  }
  return g;
}

void free_g_put(P* p, G* g) {
  auto& s = sched();
  g->schedlink = p->free_gs;
  p->free_gs = g;
  if (++p->free_g_count < kFreeGCacheMax) return;
  runtime_lock_guard l(sched_lock);
  while (p->free_g_count > kFreeGCacheMax / 2) {
    G* x = p->free_gs;
    p->free_gs = x->schedlink;
    --p->free_g_count;
    x->schedlink = s.free_gs;
    s.free_gs = x;
    s.free_g_count.fetch_add(1, std::memory_order_relaxed);
  }
}

// Where the calling runtime function was called from, for dumps: its return address and its
// caller's frame pointer (frame pointers are kept everywhere). __builtin_frame_address(1) rather
// than reading the saved slot by hand, which AddressSanitizer would flag.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wframe-address"
#define record_park_site(g)                                                       \
  do {                                                                            \
    (g)->park_pc = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0)); \
    (g)->park_fp = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(1));  \
  } while (0)

// A new G. One for a goroutine that will run soon (its P's queue is short) is built at the top of a
// fresh default-size stack slot, which stays its home stack for as long as the process lives (Gs
// are reused, never freed): the top page of a fresh slot is populated in its batch and is where the
// goroutine's first frames go, so the G costs neither a heap block nor a page of its own, and a
// parked goroutine one page in all (park1m). The slot's canary (of the slot above) stays above the
// G, so an overflow from there still meets the canary first.
// Behind a long queue, a goroutine may wait while many others are made (a tree of goroutines that
// each spawn a few and wait for them: skynet queues some 100k): its G then comes from a G chunk
// (g_chunks.hpp), a few hundred bytes, and it takes a stack only when it first runs, one a finished
// goroutine left.
G* new_g(P* p) {
  const bool runs_soon =
      p != nullptr && p->runq.size() < run_queue::kSize / 2 && sched().runq.approx_size() == 0;
  if (!runs_soon) return new_chunk_g();
  stack::stack home = take_stack(p, 0);
  home.hi -= kGRecordBytes;
  G* g = new (reinterpret_cast<void*>(home.hi)) G;
  g->home = home;
  g->stack = home;
  return g;
}

}  // namespace

void count_goroutine(P* p, std::int64_t delta) {
  // relaxed (both): a count, nothing published through it (P::goroutines).
  if (p == nullptr) {
    sched().ngoroutines.fetch_add(delta, std::memory_order_relaxed);
    return;
  }
  p->goroutines.store(p->goroutines.load(std::memory_order_relaxed) + delta,
                      std::memory_order_relaxed);
}

std::int64_t goroutine_count() {
  auto& s = sched();
  // relaxed: a count, as Go's NumGoroutine: exact once the goroutines it counts are ordered
  // before the call (a WaitGroup waited for), a snapshot otherwise.
  std::int64_t n = s.ngoroutines.load(std::memory_order_relaxed);
  const int ps = s.nprocs_allocated.load(std::memory_order_acquire);  // acquire: see all_ps
  for (int i = 0; i < ps; ++i) {
    if (P* p = s.all_ps[i].load(std::memory_order_acquire)) {  // acquire: see all_ps
      n += p->goroutines.load(std::memory_order_relaxed);
    }
  }
  return n;
}

stack::stack take_stack(P* p, std::size_t bytes) {
  if (bytes != 0 || p == nullptr) return stack::allocate_goroutine(bytes);
  if (p->stack_cache_count == 0)
    p->stack_cache_count =
        static_cast<std::uint32_t>(stack::allocate_default(p->stack_cache, P::kStackRefill));
  return p->stack_cache[--p->stack_cache_count];
}

G* reserve_goroutine() {
  init_once();
  M* m = current_m();
  P* p = m != nullptr ? m->p : nullptr;
  G* g = free_g_get(p);
  if (g == nullptr) {
    g = new_g(p);
    auto& s = sched();
    runtime_lock_guard l(all_gs_lock);
    s.all_gs.push_back(g);
  }
  return g;
}

bool start_goroutine(G* g, task_fn fn, void* arg, std::size_t stack_bytes,
                     std::uintptr_t create_pc) {
  M* m = current_m();  // afresh: constructing the closure may have run on another M
  P* p = m != nullptr ? m->p : nullptr;
  g->stack_request = stack_bytes;
  g->saved_context = nullptr;
  g->fn = fn;
  g->arg = arg;
  g->goid = next_goid(p);
  // relaxed: this M's own curg (see M::curg).
  G* parent = m != nullptr ? m->curg.load(std::memory_order_relaxed) : nullptr;
  g->parent_goid = parent != nullptr ? parent->goid : 0;
  g->create_pc = create_pc;
  g->reason = wait_reason::none;
  g->saved_errno = 0;
  g->saved_eh = {nullptr, 0};
  g->param = nullptr;
  g->park_pc = g->park_fp = 0;
  g->bubble = parent != nullptr ? parent->bubble : nullptr;  // a bubble's goroutines are its own
  if (g->bubble != nullptr) synctest::started(g);
  count_goroutine(p, 1);
  race::go_start(parent, g, create_pc);
  trace::created(m, g, g->parent_goid, create_pc);
  // release: publishes goid, create_pc and the rest to a dump's acquire (for_each_g); the G itself
  // reaches the M that runs it through the run queue's own release/acquire or sched.lock.
  change_status(g, {g_status::idle, g_status::dead}, g_status::runnable, std::memory_order_release,
                "start_goroutine");
  make_runnable(m, g);
  return p != nullptr && ++p->turn_spawns >= kSpawnsPerTurn;
}

void unreserve_goroutine(G* g) {
  // release: as start_goroutine's (a dump's acquire); g then goes to a per-P or locked free list.
  change_status(g, {g_status::idle, g_status::dead}, g_status::dead, std::memory_order_release,
                "unreserve_goroutine");
  M* m = current_m();
  if (m != nullptr && m->p != nullptr) {
    free_g_put(m->p, g);
    return;
  }
  auto& s = sched();
  runtime_lock_guard l(sched_lock);
  g->schedlink = s.free_gs;
  s.free_gs = g;
  s.free_g_count.fetch_add(1, std::memory_order_relaxed);
}

void goexit() {
#if GORO_RACE
  G* g = current_g();
  if (g->bubble != nullptr) race::release_merge(g->bubble);  // for synctest::run's acquire
#endif
  switch_to_scheduler(current_m(), after_switch::exit, nullptr, nullptr);
  __builtin_unreachable();
}

void finish_goroutine(M* m, G* g) {
  trace::turn_ended(m, g, trace::ev::end);
  race::go_end(g);
  // release: as every status change a dump may read (for_each_g's acquire); dead Gs are skipped.
  change_status(g, {g_status::running}, g_status::dead, std::memory_order_release, "goexit");
  count_goroutine(m->p, -1);
  // After the count: synctest::run may return at once, and num_goroutine() should not see it.
  if (g->bubble != nullptr) synctest::exited(g);
  g->m = nullptr;
  g->fn = nullptr;
  g->read_held_count = 0;  // read locks it never released are no longer its (sync/lock_wait.cpp)
  // Locks it left locked no longer name it (holder_token). relaxed: see G::incarnation; this is
  // its only writer, so no locked add.
  g->incarnation.store(
      static_cast<std::uint16_t>(g->incarnation.load(std::memory_order_relaxed) + 1),
      std::memory_order_relaxed);
  if (g->arg != nullptr && g->arg != g->closure_storage)
    ::operator delete(g->arg);  // a large closure
  g->arg = nullptr;
  g->saved_context = nullptr;
#if defined(GORO_SANITIZE_THREAD)
  __tsan_destroy_fiber(g->tsan_fiber);
  g->tsan_fiber = nullptr;
#endif
  forget_stack_poison(g->stack.lo, g->stack.size());
  if (g->stack.lo != g->home.lo) {  // a chunk G's stack, or one of go_with_stack's size
    P* p = m->p;
    if (g->stack.canary != 0 && p->stack_cache_count < P::kStackCacheSize) {
      p->stack_cache[p->stack_cache_count++] = g->stack;
    } else {
      stack::release(g->stack);
    }
    g->stack = g->home;  // empty for a chunk G
  }
  free_g_put(m->p, g);
}

__attribute__((noinline)) void park(wait_reason reason, unlock_fn unlock, void* arg) {
  M* m = current_m();
  G* g = m->curg.load(std::memory_order_relaxed);  // relaxed: this M's own curg (M::curg)
  // Inside goro::blocking the goroutine has lent itself to its thread, on the system stack: there
  // is nothing to switch away from. relaxed: g's own status, written on this thread.
  if (g->status.load(std::memory_order_relaxed) == g_status::syscall) {
    std::string msg = "goroutine waits inside goro::blocking (";
    msg += wait_reason_text(reason);
    msg += "): the function given to blocking runs on the thread and cannot park";
    debug::fatal(msg);
  }
  g->reason = reason;
  record_park_site(g);
  if (g->bubble != nullptr) race::release_merge(g->bubble);  // for synctest::wait's acquire
  switch_to_scheduler(m, after_switch::park, unlock, arg);
  g->reason = wait_reason::none;
}

void ready(G* g) {
  if (g->bubble != nullptr) synctest::readied(g);
  // release: the waker found g through the lock or handshake that park's unlock released, so this
  // store passes park's publication (reason, park site) on to a dump that reads `runnable`. The
  // runner gets g through the run queue's own release/acquire.
  change_status(g, {g_status::waiting}, g_status::runnable, std::memory_order_release, "ready");
  M* m = current_m();
  trace::record(m, g, trace::ev::ready);
  make_runnable(m, g);
}

void yield_current() {
  G* g = current_g();
  if (g == nullptr) return;
  record_park_site(g);
  switch_to_scheduler(current_m(), after_switch::yield, nullptr, nullptr);
}

void preempt_current() {
  G* g = current_g();
  if (g == nullptr) return;
  record_park_site(g);
  switch_to_scheduler(current_m(), after_switch::preempted, nullptr, nullptr);
}

// System calls, Go's way: entering costs a few stores, not a hand-off. The P stays bound to this M
// in state syscall; sysmon retakes it if the call outlasts one of its ticks (20 us or more) and the
// P has work or nobody else could run it (retake_p). Returning, the goroutine CASes its P back from
// syscall to running (Go's exitsyscallfast): if sysmon won, it takes any idle P, or else queues
// itself globally and its M parks.
void enter_syscall() {
  M* m = current_m();
  G* g = m->curg.load(std::memory_order_relaxed);  // relaxed: this M's own curg (M::curg)
  record_park_site(g);
  // release: the park site just recorded, for a dump's acquire (as park's).
  change_status(g, {g_status::running}, g_status::syscall, std::memory_order_release,
                "enter_syscall");
  trace::record(m, g, trace::ev::blocking_call);
  P* p = m->p;
  m->syscall_p = p;
  m->p = nullptr;
  p->m.store(nullptr, std::memory_order_release);  // release: see P::m (a null publishes nothing)
  p->syscalltick.bump();
  // release: whatever this M did with the P is visible to sysmon once it retakes the P.
  p->status.store(p_status::syscall, std::memory_order_release);
}

void exit_syscall() {
  M* m = current_m();
  G* g = m->curg.load(std::memory_order_relaxed);  // relaxed: this M's own curg (M::curg)
  P* p = m->syscall_p;
  m->syscall_p = nullptr;
  p_status expected = p_status::syscall;
  // acq_rel: the CAS against retake_p's decides who owns p. acquire: pairs with the release in
  // enter_syscall of whichever M left p in syscall (usually ours; possibly another M's, if sysmon
  // retook p and that M entered a call too: winning then amounts to retaking p from it).
  if (p->status.compare_exchange_strong(expected, p_status::running, std::memory_order_acq_rel)) {
    acquire_p(m, p);
    p->syscalltick.bump();
    // release (both): a dump may read the status (for_each_g); g stays on this M.
    change_status(g, {g_status::syscall}, g_status::running, std::memory_order_release,
                  "exit_syscall");
    trace::record(m, g, trace::ev::blocking_done);
    return;
  }
  {
    runtime_lock_guard l(sched_lock);
    p = idle_p_get();
  }
  if (p != nullptr) {
    acquire_p(m, p);
    change_status(g, {g_status::syscall}, g_status::running, std::memory_order_release,
                  "exit_syscall");
    trace::record(m, g, trace::ev::blocking_done);
    return;
  }
  // No P free: queue the goroutine and let this M park until one is.
  switch_to_scheduler(m, after_switch::syscall_no_p, nullptr, nullptr);
}

bool retake_p(P* p) {
  p_status expected = p_status::syscall;
  // acq_rel: as in exit_syscall, whose CAS this one races; acquire: pairs with enter_syscall's
  // release, so what the M did with p (its run queue included) is visible from here on.
  if (!p->status.compare_exchange_strong(expected, p_status::running, std::memory_order_acq_rel))
    return false;
  p->syscalltick.bump();
  auto& s = sched();
  // Go's handoffp. Work queued here or globally: an M runs it. Hints: p's queue was filled before
  // the call (ordered by the CAS above); the global length is a hint (see global_run_queue).
  if (!p->runq.empty() || p->runq.runnext.load(std::memory_order_acquire) != nullptr ||
      s.runq.approx_size() > 0) {
    start_m(p, false);
    return true;
  }
  // Every other P busy and nobody looking for work: an M spins to steal some. relaxed reads:
  // hints. The seq_cst CAS claims the one spinning slot as wake_p's does (the spinning protocol,
  // proc.cpp); start_m gives the claim back if no P is left.
  int none = 0;
  if (s.nmspinning.load(std::memory_order_relaxed) + s.npidle.load(std::memory_order_relaxed) ==
          0 &&
      s.nmspinning.compare_exchange_strong(none, 1, std::memory_order_seq_cst)) {
    start_m(p, true);
    return true;
  }
  // The last P and nobody polling while timers or descriptors wait: an M polls for them. The counts
  // (acquire, as in timers::earliest) and the rest (relaxed) are hints: at worst an M starts and
  // finds another already polling, or p goes idle while a poller that is just returning takes it.
  if ((s.pending_timers.load(std::memory_order_acquire) > 0 ||
       s.netpoll_waiters.load(std::memory_order_acquire) > 0) &&
      s.npidle.load(std::memory_order_relaxed) ==
          s.gomaxprocs.load(std::memory_order_relaxed) - 1 &&
      s.last_poll.load(std::memory_order_relaxed) != 0) {
    start_m(p, false);
    return true;
  }
  runtime_lock_guard l(sched_lock);
  idle_p_put(p);
  return true;
}

}  // namespace goro::sched

#pragma GCC diagnostic pop
