// The detector's side of a goroutine switch (runtime/src/race/switch_hooks.hpp): the running
// context becomes g's, with the working clock this thread still caches for it when it can
// (context_switch_in's fast path). Inline: the scheduler calls both at every switch.
#pragma once

#include "context.hpp"
#include "sched/g.hpp"

namespace goro::race {

// A G whose start the detector did not see gets its context here (cannot happen while go_start
// runs for every G).
context* context_for_unseen(sched::G* g);

inline void switch_in(sched::G* g) {
  auto* c = static_cast<context*>(g->race_state);
  if (GORO_UNLIKELY(c == nullptr)) c = context_for_unseen(g);
  c->stack_lo = g->stack.lo;
  c->stack_hi = g->stack.hi;
  context_switch_in(c);
}

inline void switch_out(sched::G* g) {
  if (auto* c = static_cast<context*>(g->race_state)) context_switch_out(c);
}

}  // namespace goro::race
