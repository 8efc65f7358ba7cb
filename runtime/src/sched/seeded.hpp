// Seeded schedules (GORODEBUG=schedseed=N[,pct=D]): every choice the scheduler makes comes from a
// generator per P seeded with N, so that at GOMAXPROCS=1 (the default when a seed is set) a seed
// names one interleaving, and the same seed replays it for a program whose inputs are the same.
// What is left to the world (timers, blocking() calls, the network) can still differ between runs.
//
// The choices: which runnable goroutine runs next (any of the P's queue, not only its head; the
// global queue is drained into it first), which ready case a select takes, and, at every
// scheduling point, whether the running goroutine yields. Scheduling points are the instrumented
// safe points (function prologues, loop back-edges: the stack guard is armed so that every one of
// them calls into the runtime, see sysmon/stack_guard.cpp), channel operations and go statements.
// sysmon's time-slice preemption is off: it would make a run depend on the clock.
//
// Two strategies:
//  - random (schedseed alone): each run draws a yield rate, 1 in 2^k for k in 1..6, then yields at
//    each scheduling point with that probability (when something else could run), and picks the
//    next goroutine uniformly. Low rates let a goroutine run long stretches undisturbed, high rates
//    interleave finely: a bug may need either, and a seed covers one.
//  - PCT (pct=D, Burckhardt et al., ASPLOS 2010): each goroutine gets a random priority of at least
//    D when first scheduled; the highest-priority runnable goroutine always runs; at D-1 random
//    steps (change points) the running goroutine's priority drops below every initial priority
//    (D-1, then D-2, ...). A bug of depth d among n steps shows with probability at least
//    1/(n k^(d-1)) for k goroutines. n is not known in advance: each run draws its horizon
//    log-uniformly from 2^6 to 2^20 steps and places the change points within it.
//    Strict priorities starve: a goroutine that waits for another by spinning (goro::yield in a
//    loop, or polling an atomic) would spin forever above it. So an explicit yield hands the P to
//    a random other goroutine even when the yielder ranks highest, and past twice the horizon the
//    run goes on with the random strategy, which is fair.
//
// The plain scheduler pays a test of a global flag where it picks the next goroutine, at channel
// operations, selects and go statements, in fast_rand and where it arms the stack guard: 2-4
// instructions each. callgrind at GOMAXPROCS=1, N=100,000: pingpong +2.0% instructions, select
// +2.3%, buffered +3.0%, spawn +0.8%.
#pragma once

#include <cstdint>

namespace goro::sched {

struct G;
struct P;

// What a P keeps for seeded scheduling; touched only by the P's holder.
struct seeded_state {
  std::uint64_t rand = 0;  // wyrand state
  std::uint64_t steps = 0;
  std::uint32_t yield_one_in = 2;  // random strategy: this run's yield rate
  int next_change = 0;             // PCT: index of the next change point
  bool recheck = false;            // PCT: a change point passed; compare priorities at next step
  std::uint32_t seen_pushes = 0;   // PCT: the local queue's push count when last compared
  std::uint64_t pct_until = 0;     // PCT: the step after which the random strategy takes over
  G* yielder = nullptr;            // the goroutine that yielded last, until the next pick
  static constexpr int kMaxChanges = 15;
  std::uint64_t change_at[kMaxChanges] = {};  // PCT: ascending step numbers
};

// Whether schedseed is set. Written once at start-up (init_once), before any goroutine runs.
extern bool g_seeded;
inline bool seeded() { return g_seeded; }

// init_once, after GORODEBUG is read: turns seeded scheduling on if asked.
void seeded_configure();
// A new P (ensure_ps): seeds its generator from the seed and its id, and draws its strategy's
// parameters. Does nothing when not seeded.
void seeded_init_p(P* p);

// The next number from p's generator.
std::uint64_t seeded_rand(P* p);

// Takes the goroutine to run next from p's queues (global queue included), or nullptr when empty.
G* seeded_pick(P* p);

// A scheduling point on a goroutine's own stack: may yield the running goroutine.
void seeded_step();

// "seeded schedule: GORODEBUG=schedseed=N[,pct=D]\n" for failure reports; empty when not seeded.
const char* seeded_schedule_line();

}  // namespace goro::sched
