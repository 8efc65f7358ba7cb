// Contexts: creation, a goroutine's start (clock inherited from its creator), switching in and out
// of a thread, the end of a life, plain-thread contexts, and the shadow call stack's growth.
#include "context.hpp"

#include <dlfcn.h>
#include <pthread.h>

#include <atomic>
#include <cstdint>
#include <new>

#include "detector.hpp"
#include "goroutine_switch.hpp"
#include "lock_order.hpp"
#include "sched/g.hpp"
#include "sched/m.hpp"
#include "slots.hpp"

namespace goro::race {

constinit GORO_TLS per_thread tls{};

namespace {

// A shadow call stack starts at kInitialFrames entries and doubles up to kMaxFrames; deeper frames
// are counted but not stored (a report then shows the outermost kMaxFrames).
constexpr std::uint32_t kInitialFrames = 16;
constexpr std::uint32_t kMaxFrames = 1u << 16;

pthread_key_t g_thread_key;
std::atomic<std::int64_t> g_thread_count{0};  // relaxed: only numbers threads for reports

// A plain thread exits: its context ends like a goroutine's.
void thread_exit(void* arg) {
  auto* c = static_cast<context*>(arg);
  if (tls.ctx == c) thread_finished();
  if (tls.ctx == c) tls.ctx = nullptr;
  tls.own_thread = nullptr;
  ++tls.ignore;  // the thread's last destructors run after this one; nothing of theirs is tracked
  context_end(c);
  records_thread_exit();
  internal_thread_exit();
}

void thread_stack_bounds(context* c) {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* addr = nullptr;
  std::size_t size = 0;
  if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
    c->stack_lo = reinterpret_cast<std::uintptr_t>(addr);
    c->stack_hi = c->stack_lo + size;
  }
  pthread_attr_destroy(&attr);
}

// This thread's cached copy of c's clock as it is now, or nullptr.
cached_clock* cached_copy(per_thread& t, const context* c) {
  cached_clock& e = t.cache[c->cached_at % kCachedClocks];
  return e.version == c->clk.version && e.owner == c ? &e : nullptr;
}

// A cache entry for a context whose copy is not in the cache: round robin, never the running
// context's (a thread alternating between two contexts keeps both copies).
cached_clock& entry_to_reuse(per_thread& t) {
  cached_clock* e = &t.cache[t.next_reused++ % kCachedClocks];
  if (e == t.cur) e = &t.cache[t.next_reused++ % kCachedClocks];
  return *e;
}

// Makes e the running context c's working clock.
void run_in(per_thread& t, cached_clock& e, context* c) {
  c->running.store(true, std::memory_order_relaxed);  // relaxed: a hint (context::running)
  e.owner = c;
  c->cached_at = static_cast<std::uint8_t>(&e - t.cache);
  t.cur = &e;
  t.vc = &e.w;
}

}  // namespace

void contexts_init() { pthread_key_create(&g_thread_key, thread_exit); }

std::int64_t next_thread_number() {
  // relaxed: the count only needs atomicity (unique numbers).
  return g_thread_count.fetch_add(1, std::memory_order_relaxed);
}

context* thread_context_create(std::uint32_t create_stack, std::int64_t number) {
  ignore_scope no_events;  // pthread_getattr_np reads /proc and allocates
  context* c = context_new(context_kind::thread);
  // relaxed: a stale g_gen is noticed later.
  c->gen = g_gen.load(std::memory_order_relaxed);
  c->rec = record_new(number, true, number == 0, create_stack);
  thread_stack_bounds(c);
  tls.own_thread = c;
  tls.ctx = c;
  run_in(tls, entry_to_reuse(tls), c);
  tls.vc->clear();
  slot_attach(c, *tls.vc);
  pthread_setspecific(g_thread_key, c);
  return c;
}

void activate_pending(per_thread& t) { run_pending(t); }

context* current_slow() {
  per_thread& t = tls;
  if (GORO_LIKELY(t.pending != nullptr)) {
    // Inside the detector or a signal handler (ignore): no event of the goroutine's own, so its
    // switch in keeps waiting (and takes no lock the interrupted code may hold).
    if (t.ignore > 0) return nullptr;
    return run_pending(t);
  }
  if (!detector_initialized()) detector_init();
  if (t.ignore > 0 || t.ctx != nullptr) return nullptr;
  // An M between goroutines runs the scheduler: nothing there is the program's.
  if (sched::current_m() != nullptr) return nullptr;
  if (tls.own_thread != nullptr) {
    // The thread's own context was switched out (only an M switches one out, and Ms return above):
    // defensive, it resumes.
    context_switch_in(tls.own_thread);
    return tls.own_thread;
  }
  return thread_context_create(0, next_thread_number());
}

context* context_new(context_kind kind) {
  auto* c = new (internal_calloc(sizeof(context))) context;
  c->kind = kind;
  return c;
}

void context_start(context* c, context* parent, std::int64_t goid, bool is_main,
                   std::uint32_t create_stack) {
  c->depth = 0;
  c->min_sp = UINTPTR_MAX;
  c->has_slot = false;
  c->bump_on_resume = false;
  c->fence_released = false;
  c->nloaded = 0;
  frozen_clear(c->clk);
  const std::uint32_t gen = g_gen.load(std::memory_order_relaxed);  // relaxed: see g_gen
  c->gen = gen;
  if (parent != nullptr && parent == tls.ctx && parent->gen == gen && parent->has_slot) {
    // The go statement: everything the parent did so far happens before the child. The parent's
    // clock is the working clock; freeze it so the child can share its snapshot, forcing a fresh
    // snapshot if the child's extras would not fit (so a spawning loop shares one snapshot).
    working_clock& w = *tls.vc;
    if (w.ndirty + 1 > kExtras) w.overflow = true;
    freeze(w, parent->clk);
    c->clk.snap = parent->clk.snap;
    snapshot_ref(c->clk.snap);
    c->clk.nextra = parent->clk.nextra;
    for (int i = 0; i < parent->clk.nextra; ++i) {
      c->clk.extra_sid[i] = parent->clk.extra_sid[i];
      c->clk.extra_epoch[i] = parent->clk.extra_epoch[i];
    }
    // c->clk keeps the version frozen_clear gave it above: no copy of the clock carries it yet.
    // relaxed: the parent runs on this thread, its epoch is ours to read.
    frozen_raise(c->clk, parent->sid, parent->epoch.load(std::memory_order_relaxed));
    bump_epoch(parent);
  }
  c->rec = record_new(goid, false, is_main, create_stack);
}

void context_switch_in_slow(context* c) {
  per_thread& t = tls;
  if (t.ctx != nullptr && t.ctx != c) context_switch_out(t.ctx);
  t.ctx = c;
  cached_clock* copy = cached_copy(t, c);
  run_in(t, copy != nullptr ? *copy : entry_to_reuse(t), c);
  working_clock& w = *t.vc;
  if (c->gen != g_gen.load(std::memory_order_relaxed)) {  // see g_gen
    slot_regenerate(c, &w);                               // both clocks end empty
  } else if (copy == nullptr) {
    thaw(c->clk, w);
  }
  if (c->has_slot && slot_still_held(c->sid, c)) {
    if (c->bump_on_resume) bump_epoch(c);
  } else {
    slot_reattach(c, w);
  }
  c->bump_on_resume = false;
}

working_clock& open_parked_clock(const context* p, cached_clock*& cached) {
  cached = cached_copy(tls, p);
  if (cached != nullptr) return cached->w;
  working_clock& w = scratch_clock();
  thaw(p->clk, w);
  return w;
}

void close_parked_clock(context* p, working_clock& w, cached_clock* cached) {
  freeze(w, p->clk);
  if (cached != nullptr) cached->version = p->clk.version;  // p->cached_at names it already
}

void context_end(context* c) {
  lock_order_context_end(c);
  slot_release(c);
  frozen_clear(c->clk);
  record_finish(c->rec);
  c->rec = nullptr;
  c->depth = 0;
}

void grow_stack(context* c) {
  if (c->stack_cap >= kMaxFrames) return;
  const std::uint32_t cap = c->stack_cap == 0 ? kInitialFrames : c->stack_cap * 2;
  auto* s = static_cast<std::uintptr_t*>(internal_alloc(sizeof(std::uintptr_t) * cap));
  for (std::uint32_t i = 0; i < c->stack_cap; ++i) s[i] = c->stack[i];
  internal_free(c->stack, sizeof(std::uintptr_t) * c->stack_cap);
  c->stack = s;
  c->stack_cap = cap;
}

namespace {

// glibc's size of the static TLS area (every start-up module's block, plus its surplus); the loader
// exports the query for sanitizers. 0 if it is missing: nothing is in range.
std::size_t static_tls_size() {
  using info_fn = void (*)(std::size_t*, std::size_t*);
  auto info = reinterpret_cast<info_fn>(dlsym(RTLD_DEFAULT, "_dl_get_tls_static_info"));
  std::size_t bytes = 0, align = 0;
  if (info != nullptr) info(&bytes, &align);
  return bytes;
}

}  // namespace

bool in_own_static_tls(std::uintptr_t addr) {
  // Asked once. Not a function-local static: its guard would go through the detector's own
  // __cxa_guard interposers, an edge from the first asker to every later one (a goroutine's race
  // report once acquired the clock of another goroutine that had reported before it).
  // relaxed (both): every asker finds the same size, the whole message; SIZE_MAX: not asked yet.
  static constinit std::atomic<std::size_t> asked{SIZE_MAX};
  std::size_t size = asked.load(std::memory_order_relaxed);
  if (size == SIZE_MAX) {
    size = static_tls_size();
    asked.store(size, std::memory_order_relaxed);
  }
  std::uintptr_t tp;
  asm("mov %%fs:0, %0" : "=r"(tp));  // the thread control block's pointer to itself
  return addr < tp && addr >= tp - size;
}

}  // namespace goro::race
