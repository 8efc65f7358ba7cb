// Timer heaps and the scheduler's side of timers; see timer.hpp.
#include "time/timer.hpp"

#include <time.h>

#include "sched/proc.hpp"
#include "synctest/bubble.hpp"

namespace goro::timers {
namespace {

constexpr std::size_t kArity = 4;

void place(std::vector<timer*>& h, std::size_t i, timer* t) {
  h[i] = t;
  t->index = static_cast<int>(i);
}

void sift_up(std::vector<timer*>& h, std::size_t i) {
  timer* t = h[i];
  while (i > 0) {
    std::size_t parent = (i - 1) / kArity;
    if (h[parent]->when <= t->when) break;
    place(h, i, h[parent]);
    i = parent;
  }
  place(h, i, t);
}

void sift_down(std::vector<timer*>& h, std::size_t i) {
  timer* t = h[i];
  const std::size_t n = h.size();
  for (;;) {
    std::size_t first = i * kArity + 1;
    if (first >= n) break;
    std::size_t best = first;
    for (std::size_t c = first + 1; c < std::min(first + kArity, n); ++c) {
      if (h[c]->when < h[best]->when) best = c;
    }
    if (h[best]->when >= t->when) break;
    place(h, i, h[best]);
    i = best;
  }
  place(h, i, t);
}

// Lock held. release: pairs with the acquire loads in run_due and earliest(); only the
// value travels (readers re-check under th.lock), so it is stronger than needed but free on x86.
void publish_next(timer_heap& th) {
  th.next_when.store(th.heap.empty() ? INT64_MAX : th.heap.front()->when,
                     std::memory_order_release);
}

// Lock held.
void erase_at(timer_heap& th, std::size_t i) {
  auto& h = th.heap;
  timer* t = h[i];
  timer* last = h.back();
  h.pop_back();
  if (last != t) {
    place(h, i, last);
    if (i > 0 && h[(i - 1) / kArity]->when > last->when) {
      sift_up(h, i);
    } else {
      sift_down(h, i);
    }
  }
  // release: the popper's reads of when/generation/arg come before this; pairs with the acquire
  // in remove(), whose caller may then rewrite those fields to re-arm.
  t->owner.store(nullptr, std::memory_order_release);
  t->index = -1;
  publish_next(th);
}

void push(timer_heap& th, timer* t) {
  // release: publishes the heap (and its lock) to remove()'s acquire; the lock orders the rest.
  t->owner.store(&th, std::memory_order_release);
  th.heap.push_back(t);
  sift_up(th.heap, th.heap.size() - 1);
  publish_next(th);
}

}  // namespace

std::int64_t run_due(timer_heap& th, std::int64_t now) {
  // acquire: pairs with publish_next; a hint only, the heap is re-checked under the lock.
  while (th.next_when.load(std::memory_order_acquire) <= now) {
    std::unique_lock l(th.lock);
    if (th.heap.empty() || th.heap.front()->when > now) break;
    timer* t = th.heap.front();
    // Everything fire needs is read before erase_at clears the owner: from then on a concurrent
    // remove() may re-arm the timer and rewrite these fields.
    const std::uint64_t generation = t->generation;
    void* arg = t->arg;
    const auto fire = t->fire;
    erase_at(th, 0);
    // acq_rel: the count is the message (deadlock and poll checks); no data is published.
    if (t->bubble == nullptr) sched::sched().pending_timers.fetch_sub(1, std::memory_order_acq_rel);
    l.unlock();
    fire(t, arg, generation, now);
  }
  return th.next_when.load(std::memory_order_acquire);  // as above: a value, not a publication
}

std::int64_t now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
}

std::int64_t saturating_add(std::int64_t from, std::int64_t d) {
  if (d <= 0) return from;
  std::int64_t sum;
  return __builtin_add_overflow(from, d, &sum) ? INT64_MAX : sum;
}

void add(timer* t) {
  if (t->bubble != nullptr) {
    timer_heap& th = t->bubble->timers;
    std::lock_guard l(th.lock);
    push(th, t);
    return;
  }
  sched::init_once();
  auto& s = sched::sched();
  sched::M* m = sched::current_m();
  sched::P* p =
      m != nullptr && m->p != nullptr ? m->p : s.all_ps[0].load(std::memory_order_acquire);
  {
    std::lock_guard l(p->timers.lock);
    push(p->timers, t);
  }
  // acq_rel: only the count matters; a poller that missed the heap push is caught by the fence
  // in timer_armed (pairs with poll_until_work's).
  s.pending_timers.fetch_add(1, std::memory_order_acq_rel);
  sched::timer_armed(t->when);
}

bool remove(timer* t) {
  for (;;) {
    // owner changes only under the owner's lock; re-check it once we hold that lock. acquire:
    // pairs with push (p is safe to lock) and erase_at (a null means the popper is done with t's
    // fields, so the caller may re-arm).
    timer_heap* th = t->owner.load(std::memory_order_acquire);
    if (th == nullptr) return false;
    std::lock_guard l(th->lock);
    if (t->owner.load(std::memory_order_relaxed) != th) continue;  // relaxed: the lock orders it
    erase_at(*th, static_cast<std::size_t>(t->index));
    // acq_rel: as in run_due.
    if (t->bubble == nullptr) sched::sched().pending_timers.fetch_sub(1, std::memory_order_acq_rel);
    return true;
  }
}

namespace {

// run_expired's work when timers are pending. Kept out of line so that the common case, every
// scheduling pass with no timer armed, is a load and a branch without a register-saving prologue.
__attribute__((noinline)) std::int64_t run_every_ps_due(sched::scheduler& s) {
  const std::int64_t now = now_ns();
  std::int64_t next = INT64_MAX;
  // acquire: pairs with ensure_ps's release, publishing all_ps[0, n) and those Ps.
  const int n = s.nprocs_allocated.load(std::memory_order_acquire);
  for (int i = 0; i < n; ++i)
    next = std::min(next, run_due(s.all_ps[i].load(std::memory_order_acquire)->timers, now));
  return next;
}

}  // namespace

std::int64_t run_expired() {
  auto& s = sched::sched();
  // acquire: a fast-path hint; a timer armed just after is reported to the poller by timer_armed.
  if (s.pending_timers.load(std::memory_order_acquire) == 0) return INT64_MAX;
  return run_every_ps_due(s);
}

std::int64_t earliest() {
  auto& s = sched::sched();
  std::int64_t next = INT64_MAX;
  // acquire: pairs with ensure_ps's release (all_ps[0, n)). next_when is a value only; a timer
  // armed concurrently is covered by the fences of timer_armed and poll_until_work.
  const int n = s.nprocs_allocated.load(std::memory_order_acquire);
  for (int i = 0; i < n; ++i)
    next = std::min(next, s.all_ps[i]
                              .load(std::memory_order_acquire)
                              ->timers.next_when.load(std::memory_order_acquire));
  return next;
}

}  // namespace goro::timers
