// Scheduler internals shared by the files of sched/: the schedule loop, P and M hand-over, run
// queue helpers. Not for use outside sched/ (other subsystems use sched.hpp).
#pragma once

#include "sched/sched.hpp"

namespace goro::sched {

// --- proc.cpp
// Runs g on m (scheduler stack) until it switches back, then does what it asked; repeats while
// the goroutine must be resumed at once (a cancelled park).
// inherit: g continues the current time slice (Go's inheritTime) instead of starting one.
void execute(M* m, G* g, bool inherit);
[[noreturn]] void schedule_loop(M* m);
// Goroutine side: saves the goroutine and leaves it, for its M to do `why` once it is off its
// stack: on the scheduler stack, or, when the local queue has a goroutine to run next, on that
// goroutine's stack after a direct jump (a hand-off). m: the M the goroutine runs on
// (current_m()). Returns when the goroutine is resumed.
void switch_to_scheduler(M* m, after_switch why, unlock_fn unlock, void* arg);
// A goroutine's first step on resuming (or starting): `from` is the jump that brought it here.
// Completes a hand-off if there was one; returns the goroutine now running.
G* arrived(transfer_t from);

// --- runnable.cpp
// Puts g on p's queue; next=true puts it in runnext (the previous runnext goes to the tail).
void runq_put(P* p, G* g, bool next);
// inherit (optional): set to whether g came from runnext, so continues its predecessor's slice.
G* local_runq_get(P* p, bool* inherit = nullptr);
// Puts a runnable g at the back of the global queue (takes sched.lock) and wakes a P for it.
void global_runq_put_and_wake(G* g);
// The tail of creating or readying a goroutine (its status already runnable): into the runnext of
// m's P, where it runs next on this P, and a P is woken for whatever that displaced; or, from a
// thread without an M or a P (m null), onto the global queue. m: the calling thread's M.
// Inline: every ready and go statement ends here.
inline void make_runnable(M* m, G* g) {
  if (m != nullptr && m->p != nullptr) {
    runq_put(m->p, g, true);
    wake_p(m);
  } else {
    global_runq_put_and_wake(g);
  }
}
// Takes from the global queue: one G to return, and up to a fair share more onto p's local queue
// (max = 0: no limit beyond the share).
G* global_runq_get(P* p, int max) GORO_REQUIRES(sched_lock);

// --- machines.cpp
// A new M record with its system stack (counted in sched.nm_total at once).
M* new_m_struct();
// First steps on an M's own thread: current M, stack bounds, alternate signal stack.
void init_m_thread(M* m);
// Parks m until some waker hands it a P (returns with m->p set).
void stop_until_p(M* m);
// Starts or unparks an M to run p (or an idle P if p is null). spinning: it starts out spinning.
void start_m(P* p, bool spinning);

// The sanitizers' view of a goroutine's context and of m's scheduler stack (see context.hpp).
// Inline: every switch builds one, and plain builds use none of it.
inline switch_target goroutine_target(G* g) {
  switch_target t{reinterpret_cast<void*>(g->stack.lo), g->stack.size(), nullptr};
#if defined(GORO_SANITIZE_THREAD)
  t.tsan_fiber = g->tsan_fiber;
#endif
  return t;
}

inline switch_target scheduler_target(M* m) {
  switch_target t{m->g0_stack_lo, m->g0_stack_size, nullptr};
#if defined(GORO_SANITIZE_THREAD)
  t.tsan_fiber = m->g0_tsan_fiber;
#endif
  return t;
}

// --- processors.cpp
P* idle_p_get() GORO_REQUIRES(sched_lock);  // nullptr if none
void idle_p_put(P* p) GORO_REQUIRES(sched_lock);
void acquire_p(M* m, P* p);                      // binds p to m
void release_p(M* m) GORO_REQUIRES(sched_lock);  // unbinds m's P, puts it on the idle list
// m's P has been removed by a GOMAXPROCS decrease: move its goroutines to the global queue, mark it
// dead and leave m without a P.
void retire_p(M* m);
// Empties p onto the global queue and lists, and marks it dead (retire_p's first half).
void move_to_global(P* p);

// --- goroutine.cpp
// The scheduler's half of a goroutine's exit: frees it (scheduler stack).
void finish_goroutine(M* m, G* g);
// A stack of at least `bytes` for a goroutine's first run: from p's cache when default-sized
// (bytes == 0); stack::allocate_goroutine gives any other request the default size meets a
// default slot.
stack::stack take_stack(P* p, std::size_t bytes);

}  // namespace goro::sched
