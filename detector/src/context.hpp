// The detector's state per goroutine (and per plain thread): the context, and the per-thread (per
// M) state the running context uses: the working vector clock.
//
// A context is what runs: its current segment (slot, epoch, the epoch the segment started at), its
// shadow call stack, its clock while parked (frozen), and its record (identity and history). A
// goroutine's context lives in G::race_state and is reused with the G; its record is per life.
// Plain threads (the main thread before goro::run, std::thread) get a context on their first event.
//
// Own accesses: a cell stamped with the context's slot and an epoch >= seg_start was made by the
// context itself in its current segment and never races with it. The clock entry of its own slot is
// not raised when the segment starts (TSan v3 does, which makes a goroutine that takes over a slot
// appear to happen after everything the slot's previous holders did). When the context leaves a
// slot its own last epoch there is folded into its clock.
#pragma once

#include <atomic>
#include <cstdint>

#include "base.hpp"
#include "clock.hpp"
#include "history.hpp"
#include "shadow.hpp"

namespace goro::race {

enum class context_kind : std::uint8_t { goroutine, thread };

struct context {
  // ---- hot: read by every access of the owner
  std::uint32_t stamp = 0;  // make_stamp(sid, epoch, gen) of the current segment
  epoch_t seg_start = 0;
  std::uint8_t sid = 0;
  bool has_slot = false;
  record* rec = nullptr;
  std::uintptr_t min_sp = UINTPTR_MAX;  // lowest stack address seen (goroutine stack reset)

  // ---- shadow call stack: return addresses of the instrumented frames, outermost first
  std::uintptr_t* stack = nullptr;
  std::uint32_t depth = 0;
  std::uint32_t stack_cap = 0;

  // ---- segment
  // The current epoch. Written by the owner only; relaxed loads by a thread preempting the slot.
  std::atomic<epoch_t> epoch{0};
  std::uint32_t gen = 0;        // global generation of everything below and of the segment
  bool bump_on_resume = false;  // released by someone else while parked (release_g)
  context_kind kind = context_kind::goroutine;

  // ---- clock while not running
  frozen_clock clk;

  // ---- fences (atomics.cpp): after a release fence every relaxed store releases; the locations
  // of the last relaxed loads are acquired by the next acquire fence
  bool fence_released = false;
  std::uint8_t nloaded = 0;
  std::uintptr_t loaded[4] = {};

  // ---- creation stacks of goroutines this context starts (a loop's go statements repeat)
  std::uint64_t last_spawn_hash = 0;
  std::uint32_t last_spawn_stack = 0;

  // ---- the locks it holds (lock_order.hpp); only while it holds some
  struct lock_state* locks = nullptr;

  // ---- bounds of the stack the context runs on, for frame-pointer walks (go statements)
  std::uintptr_t stack_lo = 0;
  std::uintptr_t stack_hi = 0;
};

// Per thread (per M): the running context and its working clock.
struct per_thread {
  context* ctx;         // the context running on this thread; nullptr on an M's scheduler stack
  context* own_thread;  // this thread's own context, if it has one
  int ignore;           // > 0: inside the detector or an interposer; hooks do nothing
  std::uint32_t evict;  // pseudo-random cell choice
  // The program's call site for the libc calls the runtime makes on its behalf (libc_call.hpp);
  // 0: the interposer's caller is the call site.
  std::uintptr_t libc_caller_pc;
  bool vptr_access;  // the access being checked is of a vtable pointer (report.cpp says so)
  bool free_access;  // ... is the program's free of a block (report.cpp, secondary reports)
  // The block instrumented code is about to free and the call's pc (__goro_free_hint): the free()
  // of that block is the program's (detector.cpp).
  void* free_hint;
  std::uintptr_t free_pc;
  working_clock vc;
};

extern constinit GORO_TLS per_thread tls;

// The global reset generation (slots.cpp). relaxed loads: a stale value only delays noticing a
// reset.
extern std::atomic<std::uint32_t> g_gen;

// The context of the calling thread: the running goroutine's, or a plain thread's (created on first
// use), or nullptr where events are ignored (an M's scheduler stack, detector internals).
context* current_slow();
inline context* current() {
  context* c = tls.ctx;
  if (GORO_LIKELY(c != nullptr)) return tls.ignore == 0 ? c : nullptr;
  return current_slow();
}

// Whether addr lies in the calling thread's static TLS block (its thread_local variables and those
// of the libraries loaded at start-up), which sits just below the thread pointer on x86-64.
bool in_own_static_tls(std::uintptr_t addr);

// ---- lifecycle (context.cpp)
context* context_new(context_kind kind);
// Starts a new life of c as a goroutine created by parent (which may be nullptr): clock inherited,
// fresh record.
void context_start(context* c, context* parent, std::int64_t goid, bool is_main,
                   std::uint32_t create_stack);
// The context begins running on this thread: working clock loaded, slot (re)claimed.
void context_switch_in(context* c);
// ... stops running on this thread: clock frozen, slot parked.
void context_switch_out(context* c);
// The goroutine's life ended (c is not running): slot given up, record finished.
void context_end(context* c);

// ---- the running context's segment
// A release happened: later events must not be covered by it.
void bump_epoch(context* c);
// The clock the context would publish: tls.vc plus its own segment.
inline void own_segment(const context* c, int& sid, epoch_t& epoch) {
  sid = c->sid;
  epoch = c->epoch.load(std::memory_order_relaxed);  // relaxed: c runs here, its epoch is ours
}

// Shadow call stack growth (the push's slow path).
void grow_stack(context* c);
inline void push_frame(context* c, std::uintptr_t pc) {
  if (GORO_UNLIKELY(c->depth >= c->stack_cap)) grow_stack(c);
  if (GORO_LIKELY(c->depth < c->stack_cap)) c->stack[c->depth] = pc;
  ++c->depth;
}

// RAII: detector internals run with the hooks ignored on this thread.
struct ignore_scope {
  ignore_scope() { ++tls.ignore; }
  ~ignore_scope() { --tls.ignore; }
  ignore_scope(const ignore_scope&) = delete;
  ignore_scope& operator=(const ignore_scope&) = delete;
};

}  // namespace goro::race
