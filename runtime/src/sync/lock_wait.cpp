// Partial deadlock detection: Go reports a deadlock only when every goroutine is asleep; here a
// cycle of goroutines waiting for each other's locks is reported as soon as it closes, while the
// rest of the program may still run.
//
// The graph. A node is a goroutine inside a lock's slow path (registered by lock_wait_begin, gone
// at lock_wait_end); the registered ones are linked in one list. Its edges go to the goroutines
// that must act before it can go on: the holder of the Mutex it wants (Mutex::owner_, stored by
// every lock and cleared by every unlock, also on the inlined fast path), the writer of the
// RWMutex it wants (RWMutex::writer_owner_), or, for a writer waiting for the readers to leave,
// every registered goroutine whose record says it reads that RWMutex (G::read_held). A goroutine
// that is registered cannot release what it holds: it is in a lock's slow path, not in its own
// code. So if every node of a cycle is registered, none of them can ever go on.
//
// When. Each registered goroutine looks for a cycle through itself once it is parked (the
// semaphore's park callback, on the scheduler stack): the last member of a cycle to park finds it,
// and all members are parked, so their stacks can be shown. A cycle found is reported only if it
// still stands kConfirmNs later (a runtime timer checks that every member is still in the same
// wait, by G::lock_wait_seq, and the walk finds the same cycle). Go lets any goroutine unlock a
// Mutex: a program that locks in one goroutine and unlocks in another (a lock used as a token
// handed to a worker) forms such cycles for an instant, and the worker breaks them; a true deadlock
// stays. Everything above is read under one lock, the wait-graph lock, which registration and
// deregistration also take: a holder stores itself in the lock before it registers anywhere, so a
// walker holding the lock sees the holders of every lock that a registered goroutine holds (and
// nullptr, "unknown", for a lock taken an instant ago by a goroutine that has not stored itself
// yet: that one is running, so it is in no cycle). The cost is this lock and a walk, paid only by
// goroutines that park on a lock; the uncontended paths only store and clear the holder.
//
// Holders are recorded as tokens (sched/g.hpp, holder_token): the G's address and its incarnation,
// bumped when the goroutine ends, so a lock left locked by a goroutine that has ended names nobody
// rather than the next goroutine to reuse its G.
//
// What is not a cycle here. A goroutine waiting for a lock it holds itself is left to Go's global
// rule: Go lets another goroutine unlock a Mutex, and "lock, hand it to a goroutine that unlocks
// it, lock again" is an idiom. For cycles of two goroutines or more the same freedom is assumed
// not to be used for longer than the confirmation delay: a cycle that an outside goroutine breaks
// only later is reported (documented in docs/guide.md; GORODEBUG=partialdeadlock=warn or 0 for a
// program that relies on it). Read locks
// are trusted only while every RUnlock was made by the goroutine that took the lock and recorded
// it (the first G::kReadHeld it holds); one that was not makes its RWMutex's readers "unknown" for
// good, and a writer waiting for them then has no edges. Channels, WaitGroups and Conds have no
// holder and make no edges: a cycle through them is found only when the whole program is asleep.
//
// Lock order: a semaphore bucket lock → the wait-graph lock → all_gs_lock (the fatal report).
#include "sync/lock_wait.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "debug/godebug.hpp"
#include "sched/runtime_lock.hpp"
#include "sched/sched.hpp"
#include "sync/lock_wait_report.hpp"
#include "time/timer.hpp"

namespace goro::sync {
namespace {

// The longest cycle looked for; a longer one is not reported.
constexpr int kMaxDepth = 64;

sched::runtime_lock graph_lock;
sched::G* registered GORO_GUARDED_BY(graph_lock) = nullptr;
std::uint32_t walk_mark GORO_GUARDED_BY(graph_lock) = 0;

bool detection_on() {
  return debug::godebug().partial_deadlock != debug::partial_deadlock_mode::off;
}

lock_wait_kind kind_of(const sched::G* g) {
  return static_cast<lock_wait_kind>(g->lock_wanted_kind);
}

bool reads(const sched::G* g, const void* rw) {
  for (int i = 0; i < g->read_held_count; ++i) {
    if (g->read_held[i] == rw) return true;
  }
  return false;
}

// The single goroutine g waits for (mutex, rw_lock, rw_rlock), if known and registered.
sched::G* holder_of(const sched::G* g) GORO_REQUIRES(graph_lock) {
  void* lock = const_cast<void*>(g->lock_wanted);
  std::atomic<void*>* slot = kind_of(g) == lock_wait_kind::mutex
                                 ? &sync_access::owner(*static_cast<Mutex*>(lock))
                                 : &sync_access::writer_owner(*static_cast<RWMutex*>(lock));
  // relaxed: ordered by the wait-graph lock (file comment).
  sched::G* h = sched::holder_of_token(slot->load(std::memory_order_relaxed));
  return h != nullptr && h->lock_wanted != nullptr ? h : nullptr;
}

// One step of the depth-first walk: g and where its edges continue. For a writer waiting for
// readers, `cursor` walks the registered list; otherwise the single edge is taken once.
struct frame {
  sched::G* g;
  sched::G* cursor;
  bool done;
};

sched::G* next_edge(frame& f) GORO_REQUIRES(graph_lock) {
  if (f.done) return nullptr;
  if (kind_of(f.g) != lock_wait_kind::rw_readers) {
    f.done = true;
    return holder_of(f.g);
  }
  auto* rw = static_cast<RWMutex*>(const_cast<void*>(f.g->lock_wanted));
  if (sync_access::readers_unknown(*rw)) {
    f.done = true;
    return nullptr;
  }
  for (sched::G* r = f.cursor; r != nullptr; r = r->lock_waiters_next) {
    if (r != f.g && reads(r, rw)) {
      f.cursor = r->lock_waiters_next;
      return r;
    }
  }
  f.done = true;
  return nullptr;
}

// Finds a cycle of two goroutines or more through start; fills members in wait order (each waits
// for the next, the last for start) and returns their number, or 0.
int find_cycle(sched::G* start, std::array<sched::G*, kMaxDepth>& members)
    GORO_REQUIRES(graph_lock) {
  std::array<frame, kMaxDepth> stack;
  const std::uint32_t mark = ++walk_mark;
  start->lock_walk_mark = mark;
  stack[0] = {start, registered, false};
  int depth = 1;
  while (depth > 0) {
    sched::G* next = next_edge(stack[depth - 1]);
    if (next == nullptr) {
      --depth;
      continue;
    }
    if (next == start) {
      if (depth == 1) continue;  // waits for a lock it holds itself: not ours (file comment)
      for (int i = 0; i < depth; ++i) members[i] = stack[i].g;
      return depth;
    }
    if (next->lock_walk_mark == mark || depth == kMaxDepth) continue;
    next->lock_walk_mark = mark;
    stack[depth++] = {next, registered, false};
  }
  return 0;
}

// Cycles already reported in warn mode, by the sorted goroutine ids' hash, so that a member woken
// by a stray semaphore count and parking again does not report its cycle twice.
constexpr int kRemembered = 64;
std::array<std::uint64_t, kRemembered> reported GORO_GUARDED_BY(graph_lock) = {};
int reported_next GORO_GUARDED_BY(graph_lock) = 0;

bool first_report(const cycle_report& r) GORO_REQUIRES(graph_lock) {
  std::uint64_t h = cycle_signature(r);
  for (std::uint64_t seen : reported) {
    if (seen == h) return false;
  }
  reported[reported_next] = h;
  reported_next = (reported_next + 1) % kRemembered;
  return true;
}

// Confirmation (file comment): a cycle is reported once it has stood this long.
constexpr std::int64_t kConfirmNs = 100'000'000;
constexpr int kMaxPending = 8;

struct pending_cycle {
  cycle_report report;
  std::int64_t due;
};

std::array<pending_cycle, kMaxPending> pending GORO_GUARDED_BY(graph_lock);
int pending_count GORO_GUARDED_BY(graph_lock) = 0;
timers::timer confirm_timer;
bool confirm_armed GORO_GUARDED_BY(graph_lock) = false;

// Whether every member still waits in the very wait it was found in (none was woken: nobody
// released a lock of the cycle), and the cycle is still there.
bool still_stands(const cycle_report& r) GORO_REQUIRES(graph_lock) {
  for (int i = 0; i < r.n; ++i) {
    const cycle_report::member& m = r.members[i];
    if (m.g->lock_wanted != m.wanted || m.g->lock_wait_seq != m.seq) return false;
  }
  std::array<sched::G*, kMaxDepth> members;
  const int n = find_cycle(r.members[0].g, members);
  if (n != r.n) return false;
  cycle_report again;
  describe_cycle(members.data(), n, &again);
  return cycle_signature(again) == cycle_signature(r);
}

void confirm_due(timers::timer*, void*, std::uint64_t, std::int64_t now);

void arm_confirm(std::int64_t when) GORO_REQUIRES(graph_lock) {
  if (confirm_armed) return;
  confirm_armed = true;
  confirm_timer.when = when;
  confirm_timer.fire = confirm_due;
  timers::add(&confirm_timer);
}

// The confirmation timer (scheduler stack, no lock held): reports the cycles due that still stand
// and re-arms for the others.
void confirm_due(timers::timer*, void*, std::uint64_t, std::int64_t now) {
  std::array<cycle_report, kMaxPending> due;
  int due_count = 0;
  {
    sched::runtime_lock_guard l(graph_lock);
    confirm_armed = false;
    const bool warn = debug::godebug().partial_deadlock == debug::partial_deadlock_mode::warn;
    int kept = 0;
    std::int64_t next = INT64_MAX;
    for (int i = 0; i < pending_count; ++i) {
      if (pending[i].due > now) {
        next = std::min(next, pending[i].due);
        pending[kept++] = pending[i];
      } else if (still_stands(pending[i].report) && (!warn || first_report(pending[i].report))) {
        due[due_count++] = pending[i].report;
      }
    }
    pending_count = kept;
    if (kept > 0) arm_confirm(next);
  }
  // Outside the lock: symbolizing takes long, and the members stay parked for ever anyway.
  for (int i = 0; i < due_count; ++i) report_cycle(due[i]);
}

// A cycle just found: to be reported if it still stands kConfirmNs from now.
void hold_for_confirmation(const cycle_report& r) GORO_REQUIRES(graph_lock) {
  const std::uint64_t signature = cycle_signature(r);
  for (int i = 0; i < pending_count; ++i) {
    if (cycle_signature(pending[i].report) == signature) return;
  }
  if (pending_count == kMaxPending) return;  // found again when one of its members parks anew
  const std::int64_t due = timers::now_ns() + kConfirmNs;
  pending[pending_count++] = {r, due};
  arm_confirm(due);
}

}  // namespace

void lock_wait_begin(const void* lock, lock_wait_kind kind) {
  if (lock == nullptr || !detection_on()) return;
  sched::G* g = sched::current_g();
  if (g == nullptr) return;
  sched::runtime_lock_guard l(graph_lock);
  ++g->lock_wait_seq;
  g->lock_wanted = lock;
  g->lock_wanted_kind = static_cast<std::uint8_t>(kind);
  g->lock_waiters_prev = nullptr;
  g->lock_waiters_next = registered;
  if (registered != nullptr) registered->lock_waiters_prev = g;
  registered = g;
}

void lock_wait_end() {
  sched::G* g = sched::current_g();
  if (g == nullptr || g->lock_wanted == nullptr) return;  // our own field: no lock needed to read
  sched::runtime_lock_guard l(graph_lock);
  if (g->lock_waiters_prev != nullptr) {
    g->lock_waiters_prev->lock_waiters_next = g->lock_waiters_next;
  } else {
    registered = g->lock_waiters_next;
  }
  if (g->lock_waiters_next != nullptr)
    g->lock_waiters_next->lock_waiters_prev = g->lock_waiters_prev;
  g->lock_waiters_prev = g->lock_waiters_next = nullptr;
  g->lock_wanted = nullptr;
  g->lock_wanted_kind = 0;
}

void lock_wait_parked(sched::G* g) {
  sched::runtime_lock_guard l(graph_lock);
  // g may have been woken (and deregistered) since its park callback released the bucket.
  if (g->lock_wanted == nullptr) return;
  std::array<sched::G*, kMaxDepth> members;
  const int n = find_cycle(g, members);
  if (n == 0) return;
  cycle_report report;
  describe_cycle(members.data(), n, &report);
  hold_for_confirmation(report);
}

void read_lock_taken(RWMutex* rw) {
  sched::G* g = sched::current_g();
  if (g == nullptr) return;
  if (g->read_held_count < sched::G::kReadHeld) {
    g->read_held[g->read_held_count++] = rw;
    return;
  }
  // Not recorded: its RUnlock will not find it and will mark the readers unknown.
}

void read_lock_released(RWMutex* rw) {
  sched::G* g = sched::current_g();
  if (g != nullptr) {
    for (int i = 0; i < g->read_held_count; ++i) {
      if (g->read_held[i] == rw) {
        g->read_held[i] = g->read_held[--g->read_held_count];
        return;
      }
    }
  }
  // Another goroutine's read lock (or one not recorded): who reads rw is no longer known.
  sched::runtime_lock_guard l(graph_lock);
  sync_access::readers_unknown(*rw) = true;
}

}  // namespace goro::sync
