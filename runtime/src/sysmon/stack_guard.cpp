// Stack checks and preemption requests from instrumented code; see stack_guard.hpp and race_abi.h.
//
// The guard is written by its own thread (arming and disarming around each switch) and by sysmon
// (posting kPreemptRequest); both use relaxed atomic stores: the only ordering needed is that the
// request is eventually seen, and a request that lands just as the goroutine switches out is simply
// dropped or delivered to the next goroutine (a spurious yield, harmless).
#include "sysmon/stack_guard.hpp"

#include <cinttypes>
#include <cstdio>

#include "debug/fatal.hpp"
#include "goro/race_abi.h"
#include "sched/sched.hpp"
#include "sched/user_locks.hpp"

__attribute__((tls_model("initial-exec"))) __thread std::uintptr_t __goro_stack_guard = 0;
const int __goro_instrumented_v1 = 1;

namespace goro::sysmon {

thread_local int no_preempt::depth_ = 0;

void register_thread_guard(sched::M* m) {
  // release: pairs with request_preempt's acquire (see M::stack_guard).
  m->stack_guard.store(&__goro_stack_guard, std::memory_order_release);
}

void request_preempt(sched::M* m) {
  // acquire: pairs with register_thread_guard, so the guard exists before we write to it. The
  // request itself is relaxed: it need only be seen eventually (file comment).
  if (std::uintptr_t* guard = m->stack_guard.load(std::memory_order_acquire))
    __atomic_store_n(guard, kPreemptRequest, __ATOMIC_RELAXED);
}

namespace {

// What a safe point does with the guard it read: false if the code runs on the M's system stack,
// which has no goroutine stack to judge and cannot yield. A preemption request is consumed either
// way: on the system stack it is dropped (on_system_stack re-arms the goroutine's guard when it
// returns; re-arming it here instead made the next check on the system stack look like an overflow
// of the goroutine's stack below it: a fatal error inside a race report, which then hung), else
// the guard is re-armed for g, and a request deferred by no_preempt is dropped, as a late one.
bool settle_guard(sched::G* g, bool preempt) {
  if (sched::M* m = sched::current_m(); m != nullptr && m->on_system_stack) {
    if (preempt) set_guard_for(nullptr);
    return false;
  }
  if (preempt) set_guard_for(g);
  return true;
}

}  // namespace

void preempt_point(bool yield_anyway) {
  // relaxed: only the value is used (file comment).
  const std::uintptr_t guard = __atomic_load_n(&__goro_stack_guard, __ATOMIC_RELAXED);
  if (guard == kSeededStep && !sched::current_holds_user_lock()) sched::seeded_step();
  const bool preempt = guard == kPreemptRequest;
  if (!preempt && !yield_anyway) return;
  sched::G* g = sched::current_g();
  if (g == nullptr || !settle_guard(g, preempt) || no_preempt::active() ||
      sched::holds_user_lock(g)) {
    return;
  }
  if (preempt) {
    sched::preempt_current();
  } else {
    sched::yield_current();
  }
}

}  // namespace goro::sysmon

extern "C" void __goro_stack_check_slow(std::uintptr_t sp, std::uintptr_t /*frame_size*/) {
  using namespace goro;
  sched::G* g = sched::current_g();
  if (g == nullptr) return;
  // relaxed: only the value is used; a request seen late or not at all is harmless (file comment).
  const std::uintptr_t guard = __atomic_load_n(&__goro_stack_guard, __ATOMIC_RELAXED);
  const bool preempt = guard == sysmon::kPreemptRequest;
  // On the M's system stack (blocking(), a report being written; instrumented code runs there
  // too, such as a std::string member the program's own translation unit instantiated).
  if (!sysmon::settle_guard(g, preempt)) return;
  // A stack pointer far from this goroutine's stack is some other stack (a signal handler's, the
  // system stack): not ours to judge.
  // sp is taken after the caller's prologue, so it already includes the caller's frame.
  const bool near_stack = sp <= g->stack.hi && sp + (1u << 20) > g->stack.lo;
  if (near_stack && sp < g->stack.lo + sysmon::kStackRedZone) {
    char msg[64];
    std::snprintf(msg, sizeof msg, "stack overflow in goroutine %" PRId64, g->goid);
    debug::fatal(msg);
  }
  if (sched::holds_user_lock(g)) return;  // not switched out inside a critical section
  if (preempt && !sysmon::no_preempt::active()) sched::preempt_current();
  if (guard == sysmon::kSeededStep) sched::seeded_step();
}
