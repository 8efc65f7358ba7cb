// Ps: creation at start-up, the idle list, binding to Ms, and GOMAXPROCS changes.
//
// GOMAXPROCS changes without stopping the world: Ps are never freed. Raising it creates (or
// revives) Ps and puts them on the idle list; lowering it marks the excess Ps for retirement, and
// whichever M holds one retires it at its next schedule: its queued goroutines move to the global
// queue. A goroutine already running on a retired P keeps running until it next blocks or yields.
#include <sched.h>

#include <cerrno>
#include <cstdlib>
#include <mutex>

#include "debug/fatal.hpp"
#include "debug/godebug.hpp"
#include "sched/invariants.hpp"
#include "sched/proc.hpp"

namespace goro::sched {
namespace {

int procs_from_environment() {
  if (const char* env = std::getenv("GOMAXPROCS"); env != nullptr && *env != '\0') {
    char* end = nullptr;
    errno = 0;
    long v = std::strtol(env, &end, 10);
    if (errno == 0 && end != env && *end == '\0' && v > 0)
      return static_cast<int>(std::min<long>(v, kMaxProcs));
    // Go ignores a malformed GOMAXPROCS; so do we.
  }
  // A seed replays its interleaving only on one P (seeded.hpp).
  if (seeded()) return 1;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int n = CPU_COUNT(&set);
    if (n > 0) return std::min(n, kMaxProcs);
  }
  return 1;
}

// Makes Ps [0, n) exist; new ones go on the idle list.
void ensure_ps(int n) GORO_REQUIRES(sched_lock) {
  auto& s = sched();
  // relaxed loads of nprocs_allocated: its only writer holds sched.lock, as we do.
  const int have = s.nprocs_allocated.load(std::memory_order_relaxed);
  // Pushed from the highest id down, so the idle list hands out P 0 first.
  for (int i = n - 1; i >= have; --i) {
    P* p = new P;
    p->id = i;
    seeded_init_p(p);
    s.all_ps[i].store(p, std::memory_order_release);  // release: see scheduler::all_ps
    idle_p_put(p);
  }
  if (n > s.nprocs_allocated.load(std::memory_order_relaxed)) {
    // release: publishes all_ps[0, n) and those Ps to the unlocked readers' acquire (timers,
    // sysmon).
    s.nprocs_allocated.store(n, std::memory_order_release);
  }
}

}  // namespace

void init_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    auto& s = sched();
    debug::load_godebug();
    seeded_configure();
    int n = procs_from_environment();
    runtime_lock_guard l(sched_lock);
    // relaxed (both): call_once orders them before any caller past init_once, and other readers
    // take gomaxprocs as a hint.
    s.gomaxprocs.store(n, std::memory_order_relaxed);
    ensure_ps(n);
    s.goid_counter.store(1,
                         std::memory_order_relaxed);  // goroutine 1 is main's, given out by run()
  });
}

P* idle_p_get() {
  auto& s = sched();
  const int n = s.gomaxprocs.load(std::memory_order_relaxed);  // relaxed: written under our lock
  while (P* p = s.idle_ps) {
    s.idle_ps = p->idle_link;
    // seq_cst: npidle's changes are steps of the parking protocol (proc.cpp's top comment); the
    // increment in idle_p_put is the one that must not be missed, the decrement is kept alike.
    s.npidle.fetch_sub(1, std::memory_order_seq_cst);
    // relaxed (both): idle and dead transitions happen under sched.lock (see P::status); sysmon
    // reads status only as a hint and reaches the M through P::m.
    if (p->id < n) {
      p->status.store(p_status::running, std::memory_order_relaxed);
      return p;
    }
    p->status.store(p_status::dead, std::memory_order_relaxed);  // removed by a GOMAXPROCS decrease
  }
  return nullptr;
}

void idle_p_put(P* p) {
  auto& s = sched();
  p->status.store(p_status::idle, std::memory_order_relaxed);  // relaxed: under sched.lock
  p->m.store(nullptr, std::memory_order_release);  // release: see P::m (a null publishes nothing)
  p->idle_link = s.idle_ps;
  s.idle_ps = p;
  // seq_cst: the first step of an M giving up its P (proc.cpp's top comment); a producer without
  // a P sees it after wake_p's fence, or this M's last look sees the producer's goroutine.
  s.npidle.fetch_add(1, std::memory_order_seq_cst);
}

void acquire_p(M* m, P* p) {
  check_invariant(m->p == nullptr, "acquire_p: M already holds a P");
  // relaxed: an assertion; p came from the idle list under sched.lock or from a status CAS.
  check_invariant(p->m.load(std::memory_order_relaxed) == nullptr, "acquire_p: P already held");
  m->p = p;
  p->m.store(m, std::memory_order_release);  // release: publishes m to sysmon (see P::m)
  // relaxed: p is ours already (lock or CAS); sysmon takes status as a hint.
  p->status.store(p_status::running, std::memory_order_relaxed);
}

void release_p(M* m) {
  P* p = m->p;
  // relaxed: an assertion on a field set when p was bound to this M (acquire_p), before now.
  check_invariant(p != nullptr && p->m.load(std::memory_order_relaxed) == m,
                  "release_p: M does not hold its P");
  m->p = nullptr;
  idle_p_put(p);
}

void retire_p(M* m) {
  P* p = m->p;
  m->p = nullptr;
  move_to_global(p);
  wake_p();  // its goroutines need a P that still exists
}

void move_to_global(P* p) {
  auto& s = sched();
  runtime_lock_guard l(sched_lock);
  while (G* g = local_runq_get(p)) s.runq.push_back(g);
  while (G* g = p->free_gs) {
    p->free_gs = g->schedlink;
    g->schedlink = s.free_gs;
    s.free_gs = g;
    s.free_g_count.fetch_add(1, std::memory_order_relaxed);  // relaxed: see free_g_get
  }
  p->free_g_count = 0;
  while (p->stack_cache_count > 0) stack::release(p->stack_cache[--p->stack_cache_count]);
  p->status.store(p_status::dead, std::memory_order_relaxed);  // relaxed: under sched.lock
  p->m.store(nullptr, std::memory_order_release);              // release: as in idle_p_put
}

int set_gomaxprocs(int n) {
  init_once();
  auto& s = sched();
  // relaxed: a query; racing setters each report what they saw.
  int previous = s.gomaxprocs.load(std::memory_order_relaxed);
  if (n <= 0 || n == previous) return previous;
  n = std::min(n, kMaxProcs);
  {
    runtime_lock_guard l(sched_lock);
    // seq_cst: more than needed (sched.lock orders it for idle_p_get, other readers take it as a
    // relaxed hint), and free on this rare path.
    s.gomaxprocs.store(n, std::memory_order_seq_cst);
    ensure_ps(n);
    for (int i = 0; i < n; ++i) {
      P* p = s.all_ps[i].load(std::memory_order_relaxed);  // relaxed: under sched.lock
      // relaxed: dead is entered and left under sched.lock, which we hold.
      if (p->status.load(std::memory_order_relaxed) == p_status::dead) {
        idle_p_put(p);
      }
    }
  }
  // acquire: pairs with become_m0's release; before run() no M may be started.
  if (s.started.load(std::memory_order_acquire) && n > previous) {
    for (int i = previous; i < n; ++i) wake_p();
  }
  return previous;
}

}  // namespace goro::sched
