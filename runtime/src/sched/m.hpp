// M: an OS thread that runs goroutines. Its own (thread) stack is the scheduler stack, "g0": the
// schedule loop runs there, and goroutines switch back to it to block, yield or exit. Each M also
// has a separate system stack for fatal paths and blocking calls, and an alternate signal stack.
#pragma once

#include <pthread.h>

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "sched/context.hpp"
#include "sched/note.hpp"

namespace goro::sched {

struct G;
struct P;
struct eh_globals;

// What a goroutine asked its M to do once it is safely off its stack (Go's mcall argument).
enum class after_switch : std::uint8_t { none, park, yield, preempted, exit, syscall_no_p };

using unlock_fn = bool (*)(G* g, void* arg);

struct M {
  int id = 0;
  pthread_t thread{};
  // The goroutine running on this M, if any. Written by the M's own thread around each switch;
  // read by sysmon (relaxed: only "is anything running", no data is reached through it).
  std::atomic<G*> curg{nullptr};
  P* p = nullptr;  // the P held, if any; only the M's own thread touches it
  // spinning and next_p: the M's own thread, or start_m on a parked M under sched.lock before it
  // wakes the M's note (the note's wake/sleep orders them for the woken thread).
  bool spinning = false;
  P* next_p = nullptr;     // P handed over by whoever woke us
  M* idle_link = nullptr;  // sched.idle_ms list; sched.lock
  P* syscall_p = nullptr;  // the P held when blocking() began (Go's oldp)
  note park;               // sleeps here when idle

  fcontext g0_context = nullptr;  // where a goroutine jumps to reach the schedule loop
  void* g0_stack_lo = nullptr;    // the thread stack, for ASan's switch annotations
  std::size_t g0_stack_size = 0;

  // Request from the goroutine that just switched out.
  after_switch pending = after_switch::none;
  unlock_fn pending_unlock = nullptr;
  void* pending_arg = nullptr;
  // A hand-off in progress (proc.cpp, switch_to_scheduler): the goroutine leaving, the one it
  // jumped to, and whether that one continues the time slice. Set before the jump, read after it
  // by the arriving goroutine, on this M's thread.
  G* handoff_from = nullptr;
  G* handoff_to = nullptr;
  bool handoff_inherit = false;

  // The thread's errno and libstdc++ exception state, which every switch saves and restores for the
  // goroutine: their addresses are the thread's for its life, so they are looked up once
  // (init_m_thread) instead of through two library calls and a TLS lookup per switch.
  int* thread_errno = nullptr;
  eh_globals* thread_eh = nullptr;

  // Cheap per-M random state for steal order and select.
  std::uint64_t rand_state = 0;

  // This thread's __goro_stack_guard, where sysmon posts preemption requests. Set by the M's thread
  // when it starts, which may be after its P became visible to sysmon: release/acquire, so sysmon
  // writes to the guard only once it can see it.
  std::atomic<std::uintptr_t*> stack_guard{nullptr};

  void* system_stack_lo = nullptr;  // on_system_stack()
  std::size_t system_stack_size = 0;
  bool on_system_stack = false;

#if defined(GORO_SANITIZE_THREAD)
  void* g0_tsan_fiber = nullptr;  // the thread's own fiber
#endif
};

// The M of the calling thread, or nullptr on a thread that is not one of goro's.
// Not inlined, and reading the thread-local inside a separate function: goroutines migrate between
// threads, and a compiler may keep a thread-local's address in a register across a call that
// switches stacks. Runtime code calls this afresh after anything that may switch.
M* current_m();
void set_current_m(M* m);

// The goroutine running on the calling thread, or nullptr (scheduler stack or foreign thread).
G* current_g();

// The next number from m's generator (from its P's seeded one in a seeded schedule: seeded.hpp).
std::uint64_t fast_rand(M* m);

// wyrand: one multiply, good enough for steal order, select's shuffle and seeded schedules.
inline std::uint64_t wyrand(std::uint64_t* state) {
  *state += 0xa0761d6478bd642full;
  const __uint128_t r = static_cast<__uint128_t>(*state) * (*state ^ 0xe7037ed1a0b428dbull);
  return static_cast<std::uint64_t>(r >> 64) ^ static_cast<std::uint64_t>(r);
}

}  // namespace goro::sched
