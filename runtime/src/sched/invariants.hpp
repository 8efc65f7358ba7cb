// The scheduler's invariants, checked in GORO_ASSERTIONS builds (the tests' build) and failing
// loudly, as Go's runtime throws: goroutine status changes with their expected previous status
// (Go's "bad g status"), and the preconditions of binding Ps and Ms. Without assertions a status
// change is the bare store and the other checks vanish.
//
// The check is a load and a store, not a compare-and-swap: whoever changes a goroutine's status
// owns it at that moment (its M, or the waker that dequeued it under a lock), so a concurrent
// change is itself the bug the check is there to catch, and an atomic read-modify-write would cost
// every switch a locked instruction for nothing.
#pragma once

#include <atomic>
#include <initializer_list>

#include "sched/g.hpp"

namespace goro::sched {

// "<op>: bad g status <seen>" and the goroutine dump; exit 2.
[[noreturn]] void bad_g_status(const char* op, g_status seen);

const char* g_status_name(g_status s);

// "<what>" and the goroutine dump; exit 2.
[[noreturn]] void broken_invariant(const char* what);

inline void check_invariant(bool holds, const char* what) {
#if GORO_ASSERTIONS
  if (!holds) broken_invariant(what);
#else
  (void)holds, (void)what;
#endif
}

inline void change_status(G* g, std::initializer_list<g_status> expected, g_status next,
                          std::memory_order order, const char* op) {
#if GORO_ASSERTIONS
  // relaxed: the caller owns g (see above), so the last change was its own or ordered before.
  const g_status seen = g->status.load(std::memory_order_relaxed);
  bool ok = false;
  for (g_status e : expected) ok |= seen == e;
  if (!ok) bad_g_status(op, seen);
#else
  (void)expected, (void)op;
#endif
  g->status.store(next, order);
}

}  // namespace goro::sched
