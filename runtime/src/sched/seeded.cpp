// Seeded schedules: the generator, the pick and the scheduling points (see seeded.hpp for what and
// why).
//
// Determinism. At GOMAXPROCS=1 one P makes every choice, from its own generator, in an order fixed
// by the program: the same seed draws the same numbers at the same points. The generator lives in
// the P, not the M, because a goroutine returning from blocking() may carry the P over to another
// M. Choices on other Ps (GOMAXPROCS > 1) use their own seeded generators: random, not replayable.
#include "sched/seeded.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "debug/godebug.hpp"
#include "sched/proc.hpp"
#include "sysmon/stack_guard.hpp"

namespace goro::sched {

bool g_seeded = false;

namespace {

int g_pct_depth = 0;  // 0: the random strategy
char g_schedule_line[96] = "";

// PCT horizons: 2^kMinHorizonLog2 .. 2^kMaxHorizonLog2 steps, log-uniform (seeded.hpp).
constexpr int kMinHorizonLog2 = 6;
constexpr int kMaxHorizonLog2 = 20;
// Random strategy: yield rates 1 in 2^1 .. 1 in 2^kMaxYieldLog2.
constexpr int kMaxYieldLog2 = 6;

// Everything runnable on p, in queue order: the global queue drained into the local ring first
// (as much as fits), runnext moved behind it, then the ring emptied into out. Only p's holder
// calls this; a thief (GOMAXPROCS > 1) may take some meanwhile, which only shortens the list.
std::uint32_t take_all(P* p, G** out) {
  auto& s = sched();
  if (s.runq.approx_size() > 0) {
    runtime_lock_guard l(sched_lock);
    while (p->runq.size() < run_queue::kSize - 1) {
      G* g = s.runq.pop_front();
      if (g == nullptr) break;
      p->runq.push_back(g);
    }
  }
  // relaxed: the first load only skips the exchange; its acquire pairs with runq_put's release.
  if (p->runq.runnext.load(std::memory_order_relaxed) != nullptr) {
    if (G* g = p->runq.runnext.exchange(nullptr, std::memory_order_acquire)) runq_put(p, g, false);
  }
  std::uint32_t n = 0;
  while (G* g = p->runq.pop_front()) out[n++] = g;
  return n;
}

// Puts gs[0, n) but gs[skip] back on p's ring, in order (skip = n: all of them).
void put_back(P* p, G* const* gs, std::uint32_t n, std::uint32_t skip) {
  for (std::uint32_t i = 0; i < n; ++i) {
    if (i != skip) p->runq.push_back(gs[i]);  // cannot fail: they came from this ring
  }
}

// g's PCT priority, drawn the first time it is asked for: at least the depth, so that every
// change point's priority (below the depth) is lower.
std::uint32_t priority_of(P* p, G* g) {
  if (g->sched_priority == 0) {
    const auto floor = static_cast<std::uint32_t>(g_pct_depth);
    g->sched_priority = floor + static_cast<std::uint32_t>(seeded_rand(p) % (UINT32_MAX - floor));
  }
  return g->sched_priority;
}

// The index of the highest-priority goroutine of gs[0, n) (n > 0).
std::uint32_t highest(P* p, G* const* gs, std::uint32_t n) {
  std::uint32_t best = 0;
  for (std::uint32_t i = 1; i < n; ++i) {
    if (priority_of(p, gs[i]) > priority_of(p, gs[best])) best = i;
  }
  return best;
}

// Whether p still follows PCT (pct set and the run not yet past twice its horizon: seeded.hpp).
bool pct_now(const seeded_state& st) { return g_pct_depth > 0 && st.steps <= st.pct_until; }

// PCT's choice among gs[0, n) (n > 0): the highest priority, unless that is the goroutine that
// just yielded and another is there: then one of the others, at random.
std::uint32_t pct_choice(P* p, G* const* gs, std::uint32_t n) {
  const std::uint32_t best = highest(p, gs, n);
  if (gs[best] != p->seeded.yielder || n == 1) return best;
  const auto other = static_cast<std::uint32_t>(seeded_rand(p) % (n - 1));
  return other < best ? other : other + 1;
}

bool nothing_else_runnable(P* p) {
  // relaxed: hints, read by the P's holder; a goroutine readied from elsewhere a moment ago is
  // taken at the next point instead.
  return p->runq.empty() && p->runq.runnext.load(std::memory_order_relaxed) == nullptr &&
         sched().runq.approx_size() == 0;
}

// PCT: drops the running goroutine's priority at each change point reached by this step.
void pass_change_points(P* p, G* g) {
  seeded_state& st = p->seeded;
  const int changes = g_pct_depth - 1;
  while (st.next_change < changes && st.change_at[st.next_change] == st.steps) {
    ++st.next_change;
    g->sched_priority = static_cast<std::uint32_t>(g_pct_depth - st.next_change);
    st.recheck = true;
  }
}

}  // namespace

void seeded_configure() {
  const debug::godebug_settings& settings = debug::godebug();
  g_seeded = settings.sched_seeded;
  if (!g_seeded) return;
  g_pct_depth = settings.pct_depth;
  int len = std::snprintf(g_schedule_line, sizeof g_schedule_line,
                          "seeded schedule: GORODEBUG=schedseed=%" PRIu64, settings.sched_seed);
  if (g_pct_depth > 0) {
    len +=
        std::snprintf(g_schedule_line + len, sizeof g_schedule_line - len, ",pct=%d", g_pct_depth);
  }
  std::snprintf(g_schedule_line + len, sizeof g_schedule_line - len, "\n");
}

void seeded_init_p(P* p) {
  if (!g_seeded) return;
  seeded_state& st = p->seeded;
  // Distinct, well-mixed streams per P: the id goes through the generator's own step first.
  st.rand = debug::godebug().sched_seed ^ (static_cast<std::uint64_t>(p->id) << 32);
  seeded_rand(p);
  st.yield_one_in = 1u << (1 + seeded_rand(p) % kMaxYieldLog2);
  if (g_pct_depth == 0) return;
  const int log2 =
      kMinHorizonLog2 + static_cast<int>(seeded_rand(p) % (kMaxHorizonLog2 - kMinHorizonLog2 + 1));
  const std::uint64_t horizon = std::uint64_t{1} << log2;
  const int changes = std::min(g_pct_depth - 1, seeded_state::kMaxChanges);
  for (int i = 0; i < changes; ++i) st.change_at[i] = 1 + seeded_rand(p) % horizon;
  std::sort(st.change_at, st.change_at + changes);
  st.pct_until = 2 * horizon;
}

std::uint64_t seeded_rand(P* p) { return wyrand(&p->seeded.rand); }

G* seeded_pick(P* p) {
  G* gs[run_queue::kSize];
  const std::uint32_t n = take_all(p, gs);
  if (n == 0) return nullptr;
  seeded_state& st = p->seeded;
  const std::uint32_t chosen =
      pct_now(st) ? pct_choice(p, gs, n) : static_cast<std::uint32_t>(seeded_rand(p) % n);
  st.yielder = nullptr;
  put_back(p, gs, n, chosen);
  st.seen_pushes = p->runq.pushes();
  return gs[chosen];
}

void seeded_step() {
  M* m = current_m();
  if (m == nullptr || m->on_system_stack || sysmon::no_preempt::active()) return;
  // relaxed: this M's own curg (see M::curg).
  G* g = m->curg.load(std::memory_order_relaxed);
  P* p = m->p;
  if (g == nullptr || p == nullptr) return;
  seeded_state& st = p->seeded;
  ++st.steps;
  if (pct_now(st)) {
    pass_change_points(p, g);
    // Something new may outrank g: a change point lowered it, or goroutines were queued (locally,
    // in runnext or globally) since the last comparison. relaxed: as in nothing_else_runnable.
    const bool queued = p->runq.pushes() != st.seen_pushes ||
                        p->runq.runnext.load(std::memory_order_relaxed) != nullptr ||
                        sched().runq.approx_size() > 0;
    if (!st.recheck && !queued) return;
    st.recheck = false;
    G* gs[run_queue::kSize];
    const std::uint32_t n = take_all(p, gs);
    const bool outranked = n > 0 && priority_of(p, gs[highest(p, gs, n)]) > priority_of(p, g);
    put_back(p, gs, n, n);
    st.seen_pushes = p->runq.pushes();
    if (outranked) yield_current();
    return;
  }
  if (nothing_else_runnable(p)) return;
  if (seeded_rand(p) % st.yield_one_in == 0) yield_current();
}

const char* seeded_schedule_line() { return g_schedule_line; }

}  // namespace goro::sched
