// The detector's side of a goroutine switch (runtime/src/race/switch_hooks.hpp). Inline: the
// scheduler calls both at every switch.
//
// A switch in only names g as this thread's pending goroutine. Its context starts running here
// (context_switch_in: the working clock this thread still caches for it, its slot checked) at the
// first event of its turn, when a hook's current() finds no running context (activate_pending). A
// turn that makes no event, a goroutine yielding in a loop or one that parks again at once, leaves
// its clock and slot exactly as the last switch out left them, so the switch out has nothing to
// save either.
#pragma once

#include "context.hpp"
#include "sched/g.hpp"

namespace goro::race {

// A G whose start the detector did not see gets its context here (cannot happen while go_start
// runs for every G).
context* context_for_unseen(sched::G* g);

// The pending goroutine's context starts running here: what a switch in did before it was
// deferred. Inline in current_slow, the path of every turn's first event.
__attribute__((always_inline)) inline context* run_pending(per_thread& t) {
  sched::G* g = t.pending;
  // Already switched in, between the caller's test of pending and this load: by a hook of a
  // signal handler that interrupted it, say.
  if (GORO_UNLIKELY(g == nullptr)) return t.ctx;
  t.pending = nullptr;
  auto* c = static_cast<context*>(g->race_state);
  if (GORO_UNLIKELY(c == nullptr)) c = context_for_unseen(g);
  c->stack_lo = g->stack.lo;
  c->stack_hi = g->stack.hi;
  context_switch_in(c);
  return c;
}

inline void switch_in(sched::G* g) {
  per_thread& t = tls;
  t.pending = g;
  // The thread's own context, still running: a thread that ran instrumented code before it became
  // an M (the main thread, before goro::run). Switching that out is not left for later.
  if (GORO_UNLIKELY(t.ctx != nullptr)) activate_pending(t);
}

inline void switch_out(sched::G* g) {
  per_thread& t = tls;
  if (t.pending == g) {
    t.pending = nullptr;
    return;
  }
  if (auto* c = static_cast<context*>(g->race_state)) context_switch_out(c);
}

}  // namespace goro::race
