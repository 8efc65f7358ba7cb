// The scheduler's shared state and the operations the rest of the runtime builds on. proc.cpp holds
// the design essay; this header is the map.
//
// Lock order (outer first): a channel or sync object's lock → sched.lock → stack pool lock.
// g_chunk_lock (g_chunks.cpp) is a leaf.
// sched.lock is never held while switching contexts.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "sched/g.hpp"
#include "sched/global_run_queue.hpp"
#include "sched/m.hpp"
#include "sched/p.hpp"
#include "sched/runtime_lock.hpp"

namespace goro::sched {

constexpr int kMaxProcs = 1024;

// sched.lock, as the comments call it (Go's name): guards the scheduler's idle lists, M counts and
// free Gs. Go's is its runtime mutex, which spins before it sleeps; a std::mutex sleeps in the
// kernel at once, and with two Ms starting and finishing goroutines together that was a quarter of
// spawn's time at GOMAXPROCS=2 (futex waits and wake-ups).
//
// The two scheduler locks live at namespace scope, not in `scheduler`, so that -Wthread-safety
// names each the same way everywhere: the analysis does not see through `auto& s = sched()`.
// constinit and trivially destructible: usable before any constructor runs and during exit.
constinit inline runtime_lock sched_lock;
// Guards scheduler::all_gs.
constinit inline runtime_lock all_gs_lock;

struct scheduler {
  // Guarded by sched_lock. runq is not annotated: its length mirror is read without the lock
  // (global_run_queue::approx_size), which the analysis cannot tell from its other members.
  global_run_queue runq;
  P* idle_ps GORO_GUARDED_BY(sched_lock) = nullptr;
  M* idle_ms GORO_GUARDED_BY(sched_lock) = nullptr;
  int nm_idle GORO_GUARDED_BY(sched_lock) = 0;       // Ms parked in stopm
  int nm_total GORO_GUARDED_BY(sched_lock) = 0;      // Ms created (all alive: Ms never exit)
  G* free_gs GORO_GUARDED_BY(sched_lock) = nullptr;  // dead Gs beyond the per-P caches
  bool dying GORO_GUARDED_BY(sched_lock) = false;    // a fatal error is being reported

  // Read without the lock (hints or published counts).
  std::atomic<bool> started{false};  // run() has begun: Ms may be started
  std::atomic<std::int64_t> free_g_count{
      0};  // length of free_gs (changed under lock, peeked without)
  std::atomic<int> npidle{0};
  std::atomic<int> nmspinning{0};
  std::atomic<int> gomaxprocs{0};
  std::atomic<int> nprocs_allocated{0};
  std::atomic<std::int64_t> goid_counter{0};
  // Goroutines started without a P (the main goroutine, go statements of plain threads); those
  // started and ended on a P count in P::goroutines. num_goroutine is the sum.
  std::atomic<std::int64_t> ngoroutines{0};
  std::atomic<std::int64_t> pending_timers{0};   // timers armed on any P
  std::atomic<std::int64_t> netpoll_waiters{0};  // goroutines parked on the netpoller
  // The netpoller's sleeper (proc.cpp): 0 while an M is blocked in netpoll::poll(), else when the
  // last poll ended (monotonic ns). poll_until: when that blocked poll wakes by itself (0:
  // unknown).
  std::atomic<std::int64_t> last_poll{1};
  std::atomic<std::int64_t> poll_until{0};

  // Ps by id; an entry is set once, under lock, when its P is created, and never changes. Read
  // without the lock (thieves, sysmon, timers): release/acquire publishes the P's construction, and
  // a reader may find null where gomaxprocs was raised but the P is not there yet.
  std::array<std::atomic<P*>, kMaxProcs> all_ps{};

  // Every G ever created (dead ones are reused, so this only grows with the peak count).
  std::vector<G*> all_gs GORO_GUARDED_BY(all_gs_lock);
};

// The scheduler, made at the first call. The inline part is a load: every channel operation and
// switch asks for it several times, and a function-local static costs a call and a guard check.
extern std::atomic<scheduler*> g_scheduler;
scheduler& make_sched();
inline scheduler& sched() {
  // acquire: pairs with make_sched's release, so the scheduler is seen constructed.
  scheduler* s = g_scheduler.load(std::memory_order_acquire);
  return __builtin_expect(s != nullptr, true) ? *s : make_sched();
}

// Makes sure the Ps exist (idempotent; go() and make_chan may run before run()).
void init_once();

// Blocks the current goroutine (Go's gopark). Once it is off its stack, unlock(g, arg) runs on the
// scheduler stack; if it returns false the goroutine is resumed at once. The wait reason is what a
// dump shows. The caller must arrange for someone to call ready(g) later.
void park(wait_reason reason, unlock_fn unlock, void* arg);

// Makes a parked goroutine runnable (Go's goready). From a goroutine or the scheduler, it goes to
// the current P's runnext; from a foreign thread, to the global queue.
void ready(G* g);

// The current goroutine gives up its P for a while and goes to the back of the run queue.
void yield_current();
// The current goroutine was asked to yield by sysmon: it goes to the global run queue.
void preempt_current();

// wake_p's out-of-line part (machines.cpp).
void wake_idle_p(M* m);
// Ensures some M will look for work if a P is idle and nobody is spinning (Go's wakep). m: the
// calling thread's M, or nullptr on a thread without one (wake_p() looks it up).
inline void wake_p(M* m) {
  // The common case of every ready, inline: a caller with a P while no P is idle has nobody to
  // wake. relaxed: a hint for a caller with a P, as in wake_idle_p.
  if (m != nullptr && m->p != nullptr && sched().npidle.load(std::memory_order_relaxed) == 0)
    return;
  wake_idle_p(m);
}
inline void wake_p() { wake_p(current_m()); }

// A goroutine that has made this many goroutines in its current turn yields so they run. 32, not
// 128 (half a run queue, the first choice): a spawner's batch reuses the Gs, and their stacks, that
// the batch before it finished with. 128 finished Gs overflowed the P's cache of free Gs (64, as
// Go's, drained to 32 when full), so three quarters of every batch went to the global list and came
// back, a locked add each way and sched_lock (1.5 locked instructions per goroutine); 32 fit, and
// stay in the core's caches. spawn 1M, median of 6 to 10 alternating runs on the Xeon VM of
// docs/benchmarks.md: 99 -> 81 ms at GOMAXPROCS=1 and 124 -> 94 at 2; race build 336 -> 298 and
// 611 -> 457 ms. Instructions (callgrind) 146.1M -> 138.2M in the plain build at 200k, 336.0M ->
// 335.6M in the race build at 100k. park1m (1M goroutines parked) unchanged in time, RSS and
// faults; 8 and 16 were no better than 32.
inline constexpr std::uint32_t kSpawnsPerTurn = 32;

// Creating a goroutine, in two steps so its closure can be built inside the G (no allocation for
// small closures): reserve a G (a dead one reused, or a new one), then start it running fn(arg).
// unreserve_goroutine gives a reserved G back (its closure's construction threw).
// start_goroutine returns true when the calling goroutine has made kSpawnsPerTurn goroutines in its
// current turn: it should yield so they run (detail::spawn).
G* reserve_goroutine();
bool start_goroutine(G* g, task_fn fn, void* arg, std::size_t stack_bytes,
                     std::uintptr_t create_pc);
void unreserve_goroutine(G* g);
// The count of live goroutines: a goroutine started or ended on p (nullptr: started without a P)
// adds delta; goroutine_count is num_goroutine's sum.
void count_goroutine(P* p, std::int64_t delta);
std::int64_t goroutine_count();

// A timer was armed to fire at `when`: make sure some M will wake up for it.
void timer_armed(std::int64_t when);

// Blocking system calls (Go's entersyscall / exitsyscall): the goroutine keeps its M and, for now,
// its P, which sysmon retakes if the call lasts (retake_p); on exit it takes back its own P if
// still there, else an idle one, else it queues and its M parks.
void enter_syscall();
void exit_syscall();
// sysmon: takes p from the M in a system call that held it (false if the call just ended) and hands
// it to an M if it has work, else to the idle list.
bool retake_p(P* p);

// Makes every goroutine of a netpoll list runnable: some on the global queue with idle Ps started
// for them, the rest on the current P (Go's injectglist).
void inject_glist(G* head, int count);

// Calls fn(arg) on the current M's system stack (or directly if not on a goroutine stack).
void on_system_stack(void (*fn)(void*), void* arg);

// GOMAXPROCS: n <= 0 queries; otherwise sets. Returns the previous value.
int set_gomaxprocs(int n);

// Reports a global deadlock if no goroutine can ever run again (see proc.cpp).
void check_dead() GORO_REQUIRES(sched_lock);

// Visits every G that is not dead (used by dumps). The world is not stopped: callers are fatal
// paths.
template <class F>
void for_each_g(F&& f) {
  auto& s = sched();
  runtime_lock_guard l(all_gs_lock);
  for (G* g : s.all_gs) {
    // acquire: pairs with the release status changes (start_goroutine, park, ready).
    if (g->status.load(std::memory_order_acquire) != g_status::dead) f(g);
  }
}

}  // namespace goro::sched
