// The stack guard that instrumented code checks at function prologues and loop back-edges
// (race_abi.h): a thread-local word holding the running goroutine's stack limit plus a red zone, 0
// on scheduler stacks and foreign threads (never triggers), or kPreemptRequest when sysmon asks the
// goroutine to yield at its next safe point.
#pragma once

#include <cstdint>

#include "goro/race_abi.h"
#include "sched/g.hpp"
#include "sched/seeded.hpp"

namespace goro::sched {
struct M;
}  // namespace goro::sched

namespace goro::sysmon {

// Room kept below the guard: the slow path and uninstrumented callees (libc) run in it, and an
// overflow is reported while this much stack is still left.
constexpr std::uintptr_t kStackRedZone = 8 * 1024;
constexpr std::uintptr_t kPreemptRequest = UINTPTR_MAX;
// A seeded schedule's guard (sched/seeded.hpp): every safe point calls in, as a scheduling point.
constexpr std::uintptr_t kSeededStep = UINTPTR_MAX - 1;

// Scheduler stack only, for its own thread: arm the guard for g (or disarm with nullptr). In a
// seeded schedule, g's guard is kSeededStep. Inline: every switch calls it twice.
inline void set_guard_for(sched::G* g) {
  std::uintptr_t guard = 0;
  if (g != nullptr) guard = sched::seeded() ? kSeededStep : g->stack.lo + kStackRedZone;
  __atomic_store_n(&__goro_stack_guard, guard, __ATOMIC_RELAXED);  // relaxed: see stack_guard.cpp
}
// Records where this thread's guard lives, so sysmon can post a preemption request to it.
void register_thread_guard(sched::M* m);
// Any thread: asks whatever goroutine runs on m to yield at its next safe point.
void request_preempt(sched::M* m);

// A safe point outside instrumented code, for the runtime's own entry points (a go statement): if
// sysmon has asked the running goroutine to yield (its time slice is over), it yields here, under
// the same conditions as at an instrumented safe point. One thread-local load when nobody asked.
// yield_anyway: the caller wants to yield now (to the back of its P's queue) whether or not sysmon
// asked, under the same conditions.
void preempt_point(bool yield_anyway = false);

// While one exists on this thread, safe points do not yield (Go's m.locks): for user code that the
// runtime calls with one of its locks held, e.g. an element's move constructor under a channel
// lock. Such code never switches, so a thread-local count is exact.
class no_preempt {
 public:
  no_preempt() noexcept { ++depth_; }
  ~no_preempt() { --depth_; }
  no_preempt(const no_preempt&) = delete;
  no_preempt& operator=(const no_preempt&) = delete;
  static bool active() noexcept { return depth_ != 0; }

 private:
  __attribute__((tls_model("initial-exec"))) static thread_local int depth_;
};

}  // namespace goro::sysmon
