// Where runnable goroutines go and where Ms take them from: a P's runnext slot, its local ring,
// and the global queue.
#include <algorithm>

#include "sched/invariants.hpp"
#include "sched/proc.hpp"
#include "sched/shuffle.hpp"
#include "trace/hooks.hpp"

namespace goro::sched {

namespace {

// The local ring is full: move its older half and g to the global queue in one locked step.
void runq_put_slow(P* p, G* g) {
  G* batch[run_queue::kSize / 2 + 1];
  std::uint32_t n = p->runq.take_half_for_overflow(batch);
  if (n == 0) {
    // A thief made room meanwhile.
    if (p->runq.push_back(g)) return;
    n = p->runq.take_half_for_overflow(batch);
  }
  batch[n] = g;
  if (kShuffleSchedule) shuffle_batch(current_m(), batch, n + 1);
  for (std::uint32_t i = 0; i < n; ++i) batch[i]->schedlink = batch[i + 1];
  auto& s = sched();
  runtime_lock_guard l(sched_lock);
  s.runq.push_back_batch(batch[0], batch[n], n + 1);
}

}  // namespace

void runq_put(P* p, G* g, bool next) {
  if (kShuffleSchedule && next && shuffle_one_in(current_m(), 2)) next = false;
  if (next) {
    // acq_rel: release publishes g's fields to whoever takes it (the owner's exchange, a thief's
    // CAS); acquire pairs with the store that put the displaced G there, which we now own.
    g = p->runq.runnext.exchange(g, std::memory_order_acq_rel);
    if (g == nullptr) return;
  }
  if (!p->runq.push_back(g)) runq_put_slow(p, g);
}

G* local_runq_get(P* p, bool* inherit) {
  // runnext may be stolen concurrently, hence the exchange rather than a plain load/store.
  // relaxed: the first load only skips a locked instruction; the exchange takes g, and its acquire
  // pairs with runq_put's release.
  if (p->runq.runnext.load(std::memory_order_relaxed) != nullptr) {
    if (G* g = p->runq.runnext.exchange(nullptr, std::memory_order_acq_rel)) {
      if (inherit != nullptr) *inherit = true;
      return g;
    }
  }
  return p->runq.pop_front();
}

void global_runq_put_and_wake(G* g) {
  auto& s = sched();
  {
    runtime_lock_guard l(sched_lock);
    s.runq.push_back(g);
  }
  wake_p();
}

void inject_glist(G* head, int count) {
  if (count == 0) return;
  auto& s = sched();
  M* m = current_m();
  // release: as ready()'s (passes park's publication on to a dump).
  for (G* g = head; g != nullptr; g = g->schedlink) {
    change_status(g, {g_status::waiting}, g_status::runnable, std::memory_order_release, "netpoll");
    trace::record(m, g, trace::ev::ready);
  }
  P* p = m != nullptr ? m->p : nullptr;
  // As many as there are idle Ps go to the global queue, and an M is started for each of them;
  // without a P of our own, all of them.
  int to_global = count;
  // relaxed: only sizes the split; the read after the push below decides how many Ms start.
  if (p != nullptr) to_global = std::min(count, s.npidle.load(std::memory_order_relaxed));
  if (to_global > 0) {
    G* last = head;
    for (int i = 1; i < to_global; ++i) last = last->schedlink;
    G* rest = last->schedlink;
    {
      runtime_lock_guard l(sched_lock);
      s.runq.push_back_batch(head, last, to_global);
    }
    head = rest;
    // seq_cst: read after the push, in the parking protocol's order (proc.cpp). sched.lock alone
    // would do against find_runnable, which gives up its P in the same locked step as its last
    // look at the global queue: it saw these goroutines, or this load sees its P.
    const int idle = s.npidle.load(std::memory_order_seq_cst);
    for (int i = 0; i < std::min(to_global, idle); ++i) start_m(nullptr, false);
  }
  while (head != nullptr) {
    G* next = head->schedlink;
    runq_put(p, head, false);
    head = next;
  }
}

G* global_runq_get(P* p, int max) {
  auto& s = sched();
  if (s.runq.size() == 0) return nullptr;
  // relaxed: only the fair share's divisor.
  const std::int64_t procs = std::max(1, s.gomaxprocs.load(std::memory_order_relaxed));
  std::int64_t n = std::min<std::int64_t>(s.runq.size(), s.runq.size() / procs + 1);
  if (max > 0) n = std::min<std::int64_t>(n, max);
  n = std::min<std::int64_t>(n, run_queue::kSize / 2);
  G* first = s.runq.pop_front();
  for (std::int64_t i = 1; i < n; ++i) {
    G* g = s.runq.pop_front();
    if (!p->runq.push_back(g)) {  // cannot happen while n <= half, but keep the G either way
      s.runq.push_back(g);
      break;
    }
  }
  return first;
}

}  // namespace goro::sched
