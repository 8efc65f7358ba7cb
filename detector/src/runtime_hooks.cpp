// The scheduler and sync primitives' calls into the detector (runtime/src/race/hooks.hpp):
// goroutine start and end, a switch's cold path (goroutine_switch.hpp has the rest), stack
// recycling, happens-before on sync addresses, the lock order of Mutex and RWMutex
// (lock_order.cpp), and runtime-owned memory that counts as the program's (a channel's close is a
// write).

#include "access.hpp"
#include "debug/traceback.hpp"
#include "detector.hpp"
#include "goroutine_switch.hpp"
#include "lock_order.hpp"
#include "race/hooks.hpp"
#include "report.hpp"
#include "sched/g.hpp"
#include "shadow.hpp"
#include "slots.hpp"
#include "stack_depot.hpp"
#include "sync_table.hpp"

namespace goro::race {
namespace {

// Frames of a go statement's stack kept for "created at" (Go keeps the whole stack; a creation site
// deeper than this is rare and its outer frames are the least telling).
constexpr std::size_t kCreationFrames = 32;
// Memory below the lowest frame a goroutine was seen in that its code may still have written: the
// x86-64 red zone, rounded up.
constexpr std::uintptr_t kBelowLowestFrame = 256;
// How much of a recycled stack's top is reset for a goroutine whose lowest frame is unknown (it
// never ran a hook: uninstrumented code, whose locals others may still have written through
// pointers).
constexpr std::uintptr_t kUnknownStackReset = 4096;
// How far above its stack's top a G's inline closure may start for go_end to forget both in one
// range (the G's fields before it: sched/g.hpp).
constexpr std::uintptr_t kClosureAboveStack = 256;

// The creation stack the next go_start on this thread uses instead of walking (created_at_next).
GORO_TLS std::uint32_t t_next_creation_stack;
// The last creation stack taken on this thread and its depot id: a spawning loop finds the same
// frames at every go statement, and comparing them with the last ones costs less than hashing them
// for the depot (spawn: 70 instructions a go statement for the hash).
struct remembered_stack {
  std::size_t n;
  std::uintptr_t pcs[kCreationFrames];
  std::uint32_t id;
};
constinit GORO_TLS remembered_stack t_last_creation_stack{};

context* context_of(sched::G* g) { return static_cast<context*>(g->race_state); }

// The depot id of a creation stack (innermost frame first), 0 for an empty one.
std::uint32_t creation_stack_id(const std::uintptr_t* pcs, std::size_t n) {
  if (n == 0) return 0;
  remembered_stack& last = t_last_creation_stack;
  if (n == last.n) {
    std::size_t same = 0;
    while (same < n && pcs[same] == last.pcs[same]) ++same;
    if (same == n) return last.id;
  }
  const std::uint32_t id = depot_put(pcs, n, stack_hash(pcs, n));
  last.n = n;
  for (std::size_t i = 0; i < n; ++i) last.pcs[i] = pcs[i];
  last.id = id;
  return id;
}

// The stack of this function's caller, by frame pointers: for a creation site that only the
// runtime's own frames lead to (an after_func call), where no go statement's pc is at hand.
__attribute__((noinline)) std::uint32_t walked_creation_stack(std::uintptr_t lo,
                                                              std::uintptr_t hi) {
  std::uintptr_t pcs[kCreationFrames];
  const auto* fp = static_cast<const std::uintptr_t*>(__builtin_frame_address(0));
  return creation_stack_id(pcs,
                           debug::walk_frame_pointers(fp[1], fp[0], lo, hi, pcs, kCreationFrames));
}

// The creator's stack at a go statement: the statement's own pc, then the call sites on the
// creator's shadow call stack, innermost first. These are the return addresses a frame-pointer walk
// would find above the runtime's frames, as they are for the report's current stack, for a tenth
// of the walk's instructions (spawn: 220 a go statement, most of a walk's cost being the runtime
// frames it then hides). p may be null: a creator the detector sees no clock of.
std::uint32_t creation_stack(const context* p, std::uintptr_t create_pc) {
  std::uintptr_t pcs[kCreationFrames];
  if (p == nullptr) return creation_stack_id(&create_pc, create_pc != 0 ? 1 : 0);
  return creation_stack_id(pcs, shadow_stack_pcs(p, create_pc, pcs, kCreationFrames));
}

// A parked goroutine's clock, brought up to date with the current generation (or at least that of
// the sync clock it is about to meet).
void check_generation(context* c, std::uint32_t seen) {
  // relaxed: see g_gen; `seen` catches a sync clock newer than what we read.
  if (c->gen != g_gen.load(std::memory_order_relaxed) || c->gen < seen) slot_regenerate(c, nullptr);
}

}  // namespace

void go_start(sched::G* parent, sched::G* child, std::uintptr_t create_pc) {
  if (!detector_initialized()) detector_init();
  // The parent's context runs here from its first event; the go statement may be that event.
  if (tls.pending != nullptr) activate_pending(tls);
  context* p = parent != nullptr ? context_of(parent) : current();
  if (p != nullptr && p != tls.ctx) p = nullptr;  // not running here: no clock to inherit
  context* c = context_of(child);
  if (c == nullptr) {
    c = context_new(context_kind::goroutine);
    child->race_state = c;
  }
  std::uint32_t stack_id = 0;
  if (t_next_creation_stack != 0) {
    stack_id = t_next_creation_stack;
    t_next_creation_stack = 0;
  } else if (!child->is_main) {
    stack_id = creation_stack(p, create_pc);
  }
  context_start(c, p, child->goid, child->is_main, stack_id);
}

__attribute__((noinline)) std::uint32_t creation_stack_here() {
  if (!detector_initialized()) return 0;
  context* c = current();
  if (c == nullptr || c->stack_hi == 0) return 0;
  return walked_creation_stack(c->stack_lo, c->stack_hi);
}

void created_at_next(std::uint32_t stack) { t_next_creation_stack = stack; }

// Forgets what a program did in [lo, hi), memory about to be recycled: its shadow and the sync
// objects it held. Only pages a cell was stored for are read (reset_stored_shadow).
void forget_range(std::uintptr_t lo, std::uintptr_t hi) {
  reset_stored_shadow(lo, hi - lo);
  sync_free_range(lo, hi - lo);
}

void go_end(sched::G* g) {
  context* c = context_of(g);
  if (c == nullptr) return;
  // The stack and the G are both recycled, for goroutines with no edge to this one: what its code
  // left in them must go. Of the stack, the used part (below its lowest frame, the red zone); of
  // the G, the go statement's closure, kept inline and written by the next spawner. A G that lives
  // at the top of its stack slot and runs on it (most do: sched/g.hpp) has its closure a few fields
  // above the stack: one range then covers both, scanning those fields' (zero) shadow for one pass
  // fewer. (A G in a chunk may sit as close above a stack mapped just below its chunk.)
  const std::uintptr_t hi = g->stack.hi;
  std::uintptr_t lo = hi;
  if (c->min_sp != UINTPTR_MAX) {
    lo = c->min_sp > g->stack.lo + kBelowLowestFrame ? c->min_sp - kBelowLowestFrame : g->stack.lo;
  } else if (hi != 0) {
    lo = hi - g->stack.lo > kUnknownStackReset ? hi - kUnknownStackReset : g->stack.lo;
  }
  const auto closure = reinterpret_cast<std::uintptr_t>(g->closure_storage);
  const std::uintptr_t closure_end = closure + sizeof(g->closure_storage);
  const bool at_home = !g->home.empty() && g->stack.lo == g->home.lo;
  if (at_home && lo < hi && closure >= hi && closure - hi <= kClosureAboveStack) {
    forget_range(lo, closure_end);
  } else {
    if (lo < hi) forget_range(lo, hi);
    forget_range(closure, closure_end);
  }
  context_end(c);
}

context* context_for_unseen(sched::G* g) {
  context* c = context_new(context_kind::goroutine);
  g->race_state = c;
  context_start(c, nullptr, g->goid, g->is_main, 0);
  return c;
}

void warm_queued(const sched::G* next1, const sched::G* next2) {
  // A context lives as long as its G, and no G is ever unmapped, so reading one is safe even when
  // its goroutine has moved on; what a context names (a record, a snapshot) may have been recycled
  // since, and is only prefetched. relaxed (all): hints, raced with the owner's writes.
  if (const auto* c =
          static_cast<const context*>(__atomic_load_n(&next2->race_state, __ATOMIC_RELAXED))) {
    for (std::size_t off = 0; off < sizeof(context); off += 64)
      __builtin_prefetch(reinterpret_cast<const char*>(c) + off);
  }
  if (const auto* c =
          static_cast<const context*>(__atomic_load_n(&next1->race_state, __ATOMIC_RELAXED))) {
    // The record: its id and goroutine id go into the slot journal, its ring takes the first
    // event. The snapshot: thawed into the working clock.
    if (const record* r = __atomic_load_n(&c->rec, __ATOMIC_RELAXED)) {
      for (std::size_t off = 0; off < sizeof(record); off += 64)
        __builtin_prefetch(reinterpret_cast<const char*>(r) + off);
    }
    __builtin_prefetch(__atomic_load_n(&c->clk.snap, __ATOMIC_RELAXED));
  }
}

std::uintptr_t system_stack_enter() {
  context* c = current();
  if (c == nullptr) return UINTPTR_MAX;
  const std::uintptr_t saved = c->min_sp;
  c->min_sp = UINTPTR_MAX;
  return saved;
}

void system_stack_exit(std::uintptr_t lo, std::uintptr_t hi, std::uintptr_t saved) {
  context* c = current();
  if (c == nullptr) return;
  // No hook ran on this stack: instrumented code, which alone writes shadow, never ran here.
  if (c->min_sp != UINTPTR_MAX && c->min_sp < hi) {
    const std::uintptr_t used_lo =
        c->min_sp > lo + kBelowLowestFrame ? c->min_sp - kBelowLowestFrame : lo;
    forget_range(used_lo, hi);
  }
  c->min_sp = saved;
}

void stack_slot_shared(const void* addr, std::size_t size) {
  context* c = current();
  if (c == nullptr) return;
  stack_range_live(c, reinterpret_cast<std::uintptr_t>(addr), size);
}

void call_site_enter(std::uintptr_t pc) {
  context* c = current();
  if (c == nullptr) return;
  trace_event(c, c->rec, ev::make(ev::enter, pc & ev::kPcMask));
  push_frame(c, pc);
}

void call_site_exit() {
  context* c = current();
  if (c == nullptr) return;
  trace_event(c, c->rec, ev::make(ev::exit, 0));
  if (c->depth > 0) --c->depth;
}

namespace {

// The sync object's lock around one hook's work (none for an address only reached under the
// caller's lock, under_caller_lock_t). For the running context c, also what lock_for adds to the
// lock: c is brought up to the generation of the object's clock. An operation on behalf of a
// parked goroutine passes no c (check_generation does that part).
template <bool kCallerLocked>
struct object_scope {
  explicit object_scope(sync_object* s, context* c = nullptr) : s_(s) {
    if constexpr (kCallerLocked) {
      if (c != nullptr && GORO_UNLIKELY(s->clock.gen > c->gen)) slot_reattach(c, *tls.vc);
    } else if (c != nullptr) {
      lock_for(c, s);
    } else {
      s->mu.lock();
    }
  }
  ~object_scope() {
    if constexpr (!kCallerLocked) s_->mu.unlock();
  }
  object_scope(const object_scope&) = delete;
  object_scope& operator=(const object_scope&) = delete;

 private:
  sync_object* s_;
};

template <bool kCallerLocked>
void acquire_with(const void* addr) {
  context* c = current();
  if (c == nullptr) return;
  sync_object* s = sync_find(reinterpret_cast<std::uintptr_t>(addr));
  if (s == nullptr) return;
  object_scope<kCallerLocked> scope(s, c);
  clock_acquire(*tls.vc, s->clock, c->gen);
}

// Publishes the current goroutine's clock into addr's sync object: op(c, w, own slot, own epoch,
// sync clock) stores or merges it (and may acquire first). Its later events are not covered.
using release_op = void (*)(const context*, working_clock&, int, epoch_t, sync_clock&);

void store_op(const context* c, working_clock& w, int sid, epoch_t e, sync_clock& s) {
  clock_release_store(w, sid, e, s, c->gen);
}
void merge_op(const context* c, working_clock& w, int sid, epoch_t e, sync_clock& s) {
  clock_release_merge(w, c->clk.snap, sid, e, s, c->gen);
}
void acquire_store_op(const context* c, working_clock& w, int sid, epoch_t e, sync_clock& s) {
  clock_acquire_release(w, sid, e, s, c->gen);
}

template <bool kCallerLocked, release_op op>
void release_with(const void* addr) {
  context* c = current();
  if (c == nullptr) return;
  sync_object* s = sync_find_or_create(reinterpret_cast<std::uintptr_t>(addr));
  {
    object_scope<kCallerLocked> scope(s, c);
    int sid;
    epoch_t e;
    own_segment(c, sid, e);
    op(c, *tls.vc, sid, e, s->clock);
  }
  bump_epoch(c);
}

template <bool kCallerLocked>
void acquire_g_with(sched::G* g, const void* addr) {
  context* c = context_of(g);
  if (c == nullptr || tls.ignore > 0) return;
  sync_object* s = sync_find(reinterpret_cast<std::uintptr_t>(addr));
  if (s == nullptr) return;
  object_scope<kCallerLocked> scope(s);
  check_generation(c, s->clock.gen);
  cached_clock* cached;
  working_clock& w = open_parked_clock(c, cached);
  clock_acquire(w, s->clock, c->gen);
  close_parked_clock(c, w, cached);
}

template <bool kCallerLocked>
void release_g_with(sched::G* g, const void* addr) {
  context* c = context_of(g);
  if (c == nullptr || tls.ignore > 0) return;
  sync_object* s = sync_find_or_create(reinterpret_cast<std::uintptr_t>(addr));
  object_scope<kCallerLocked> scope(s);
  check_generation(c, s->clock.gen);
  const int sid = c->has_slot ? c->sid : 0;
  // relaxed: g is parked; its last epoch write came before its park, which the runtime orders
  // before this call.
  const epoch_t e = c->has_slot ? c->epoch.load(std::memory_order_relaxed) : 0;
  frozen_release_store(c->clk, sid, e, s->clock, c->gen);
  c->bump_on_resume = true;  // its next events must not be covered by this release
}

}  // namespace

void acquire(const void* addr) { acquire_with<false>(addr); }
void release(const void* addr) { release_with<false, store_op>(addr); }
void release_merge(const void* addr) { release_with<false, merge_op>(addr); }
void acquire_release(const void* addr) { release_with<false, acquire_store_op>(addr); }
void acquire_g(sched::G* g, const void* addr) { acquire_g_with<false>(g, addr); }
void release_g(sched::G* g, const void* addr) { release_g_with<false>(g, addr); }
void acquire(const void* addr, under_caller_lock_t) { acquire_with<true>(addr); }
void release(const void* addr, under_caller_lock_t) { release_with<true, store_op>(addr); }
void acquire_release(const void* addr, under_caller_lock_t) {
  release_with<true, acquire_store_op>(addr);
}
void acquire_g(sched::G* g, const void* addr, under_caller_lock_t) {
  acquire_g_with<true>(g, addr);
}
void release_g(sched::G* g, const void* addr, under_caller_lock_t) {
  release_g_with<true>(g, addr);
}

void handoff_begin(sched::G* peer) {
  context* c = current();
  context* p = context_of(peer);
  if (c == nullptr || p == nullptr) return;
  if (c->gen != g_gen.load(std::memory_order_relaxed)) slot_reattach(c, *tls.vc);  // see g_gen
  check_generation(p, c->gen);
  // The peer is parked on this channel and the caller holds the channel's lock: nobody else
  // touches the peer's clock meanwhile (a select's other channels lost the wake-up race).
  cached_clock* cached;
  working_clock& theirs = open_parked_clock(p, cached);
  // relaxed: the peer is parked; park and the channel lock order its last epoch write before us.
  if (p->has_slot) theirs.raise(p->sid, p->epoch.load(std::memory_order_relaxed));
  clock_exchange(*tls.vc, theirs);
  int sid;
  epoch_t e;
  own_segment(c, sid, e);
  theirs.raise(sid, e);
  close_parked_clock(p, theirs, cached);
  p->bump_on_resume = true;  // its next events must not be covered by what it gave away
}

void handoff_end() {
  context* c = current();
  if (c != nullptr) bump_epoch(c);
}

namespace {

// A read or write of runtime-owned memory made on the program's behalf. Up to 8 bytes (a channel's
// marker byte) it is one access, traced as one event; anything larger is a range.
void runtime_access(const void* addr, std::size_t size, bool read, std::uintptr_t pc) {
  context* c = current();
  if (c == nullptr) return;
  const auto a = reinterpret_cast<std::uintptr_t>(addr);
  if (size - 1 < 8) {
    access(c, a, static_cast<unsigned>(size), read, false, pc);
  } else {
    access_range(c, a, size, read, pc);
  }
}

}  // namespace

void read_range(const void* addr, std::size_t size, std::uintptr_t pc) {
  runtime_access(addr, size, true, pc);
}

void write_range(const void* addr, std::size_t size, std::uintptr_t pc) {
  runtime_access(addr, size, false, pc);
}

std::uintptr_t libc_call_site_begin(std::uintptr_t pc) {
  const std::uintptr_t saved = tls.libc_caller_pc;
  tls.libc_caller_pc = pc;
  return saved;
}

void libc_call_site_end(std::uintptr_t saved) { tls.libc_caller_pc = saved; }

void lock_acquired(const void* lock, bool write, bool try_lock, std::uintptr_t pc) {
  context* c = current();
  if (c != nullptr) lock_order_acquired(c, lock, write, try_lock, pc);
}

void lock_released(const void* lock) {
  context* c = current();
  if (c != nullptr) lock_order_released(c, lock);
}

int fini(int exit_code) { return finish(exit_code); }

}  // namespace goro::race
