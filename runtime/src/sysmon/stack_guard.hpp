// The stack guard that instrumented code checks at function prologues and loop back-edges
// (race_abi.h): a thread-local word holding the running goroutine's stack limit plus a red zone, 0
// on scheduler stacks and foreign threads (never triggers), or kPreemptRequest when sysmon asks the
// goroutine to yield at its next safe point.
#pragma once

#include <cstdint>

namespace goro::sched {
struct M;
struct G;
}  // namespace goro::sched

namespace goro::sysmon {

// Room kept below the guard: the slow path and uninstrumented callees (libc) run in it, and an
// overflow is reported while this much stack is still left.
constexpr std::uintptr_t kStackRedZone = 8 * 1024;
constexpr std::uintptr_t kPreemptRequest = UINTPTR_MAX;

// Scheduler stack only, for its own thread: arm the guard for g (or disarm with nullptr).
void set_guard_for(sched::G* g);
// Records where this thread's guard lives, so sysmon can post a preemption request to it.
void register_thread_guard(sched::M* m);
// Any thread: asks whatever goroutine runs on m to yield at its next safe point.
void request_preempt(sched::M* m);

}  // namespace goro::sysmon
