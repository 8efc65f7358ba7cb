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
#include "slots.hpp"

namespace goro::sched {
struct G;
}

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
  // Whether it runs on some thread now. Written by that thread at switch in and out, read relaxed
  // by a thread looking for a slot to take (slots.cpp), which prefers a parked holder's: a hint.
  // A goroutine switched in that has made no event yet this turn (per_thread::pending) reads as
  // parked: it has not used its slot, and checks that it still holds it at its first event.
  std::atomic<bool> running{false};
  context_kind kind = context_kind::goroutine;

  // ---- clock while not running
  frozen_clock clk;
  std::uint8_t cached_at = 0;  // the cache entry (per_thread::cache) its clock was last left in

  // ---- fences (atomics.cpp): after a release fence every relaxed store releases; the locations
  // of the last relaxed loads are acquired by the next acquire fence
  bool fence_released = false;
  std::uint8_t nloaded = 0;
  std::uintptr_t loaded[4] = {};

  // ---- the locks it holds (lock_order.hpp); only while it holds some
  struct lock_state* locks = nullptr;

  // ---- bounds of the stack the context runs on, for frame-pointer walks (go statements)
  std::uintptr_t stack_lo = 0;
  std::uintptr_t stack_hi = 0;
};

// A working copy of a context's clock kept by the thread that last ran the context (or changed its
// clock while it was parked): while the frozen clock's version is still `version`, switching the
// context in again on this thread uses the copy as it is, without thawing (a switch is then two
// contexts taking turns on one thread, yield's and a channel ping-pong's case). Only the thread
// that owns the cache reads or writes it.
struct cached_clock {
  working_clock w;
  const context* owner;
  std::uint64_t version;  // owner->clk.version the copy equals; stale while the owner runs
};
constexpr int kCachedClocks = 4;  // a power of two

// Per thread (per M): the running context and its working clock.
struct per_thread {
  context* ctx;  // the context running on this thread; nullptr on an M's scheduler stack
  // A goroutine switched in on this thread that has made no event yet this turn: its context is
  // not running here (ctx is nullptr) until the first hook asks for it (activate_pending). A turn
  // with no event, as between two yields, costs the detector nothing.
  sched::G* pending;
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
  // The running context's working clock: one of `cache`, set whenever ctx is (switch in, a plain
  // thread's first event).
  working_clock* vc;
  cached_clock* cur;
  std::uint32_t next_reused;  // round robin over the cache for a context whose copy is not there
  cached_clock cache[kCachedClocks];
};

extern constinit GORO_TLS per_thread tls;

// The global reset generation (slots.cpp). relaxed loads: a stale value only delays noticing a
// reset.
extern std::atomic<std::uint32_t> g_gen;

// The context of the calling thread: the running goroutine's, or a plain thread's (created on first
// use), or nullptr where events are ignored (an M's scheduler stack, detector internals).
context* current_slow();
// The pending goroutine's context starts running on this thread (per_thread::pending).
void activate_pending(per_thread& t);
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
// The context begins running on this thread: working clock loaded, slot (re)claimed. Inline, as
// every goroutine switch calls it: in the common case, goroutines taking turns on an M, the
// context's copy of its clock is in this thread's cache and its slot is still its own, and the
// switch is a few loads and stores, plus an epoch advance if a hand-off or a release on its behalf
// happened while it was parked. context_switch_in_slow does the rest.
void context_switch_in_slow(context* c);
void bump_epoch(context* c);
inline void context_switch_in(context* c) {
  per_thread& t = tls;
  cached_clock& e = t.cache[c->cached_at % kCachedClocks];
  if (GORO_LIKELY(t.ctx == nullptr && e.version == c->clk.version && e.owner == c &&
                  c->gen == g_gen.load(std::memory_order_relaxed) &&  // relaxed: see g_gen
                  c->has_slot && slot_still_held(c->sid, c))) {
    c->running.store(true, std::memory_order_relaxed);  // relaxed: a hint (context::running)
    t.ctx = c;
    t.cur = &e;
    t.vc = &e.w;
    if (c->bump_on_resume) {
      c->bump_on_resume = false;
      bump_epoch(c);
    }
    return;
  }
  context_switch_in_slow(c);
}
// ... stops running on this thread: clock frozen, slot kept.
inline void context_switch_out(context* c) {
  per_thread& t = tls;
  freeze(*t.vc, c->clk);
  t.cur->version = c->clk.version;  // the working clock stays behind as c's cached copy
  c->running.store(false, std::memory_order_relaxed);  // relaxed: a hint; the slot stays c's
  if (t.ctx == c) t.ctx = nullptr;
}
// The goroutine's life ended (c is not running): slot given up, record finished.
void context_end(context* c);

// A parked context's clock, to change in place (p is parked; the caller holds what keeps others
// off its clock, as the channel lock does): this thread's cached copy if it still equals the clock,
// else the scratch clock thawed from it. close_parked_clock freezes the result back.
working_clock& open_parked_clock(const context* p, cached_clock*& cached);
void close_parked_clock(context* p, working_clock& w, cached_clock* cached);

// ---- the running context's segment
// A release happened: later events must not be covered by it.
void bump_epoch(context* c);
// The clock the context would publish: *tls.vc plus its own segment.
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

// The context's current stack into out (at most max pcs): pc unless 0, then the shadow call
// stack's return addresses, innermost first. Frames past stack_cap were counted but not stored:
// the stored ones are the outer ones. Returns the count.
inline std::size_t shadow_stack_pcs(const context* c, std::uintptr_t pc, std::uintptr_t* out,
                                    std::size_t max) {
  std::size_t n = 0;
  if (pc != 0 && n < max) out[n++] = pc;
  std::uint32_t i = c->depth < c->stack_cap ? c->depth : c->stack_cap;
  while (i > 0 && n < max) out[n++] = c->stack[--i];
  return n;
}

// RAII: detector internals run with the hooks ignored on this thread.
struct ignore_scope {
  ignore_scope() { ++tls.ignore; }
  ~ignore_scope() { --tls.ignore; }
  ignore_scope(const ignore_scope&) = delete;
  ignore_scope& operator=(const ignore_scope&) = delete;
};

}  // namespace goro::race
