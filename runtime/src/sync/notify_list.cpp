// The notify list; see notify_list.hpp.
//
// Tickets are 32-bit counters that wrap; they are compared by their signed difference, which is
// right as long as fewer than 2^31 goroutines wait on one Cond. `wait` is the next ticket to hand
// out (incremented without the lock), `notify` the next ticket to wake (written under the lock,
// read outside it as a hint). Every ticket below `notify` has been notified: its goroutine is
// either readied or will find out under the lock before parking.
#include "sync/notify_list.hpp"

#include <atomic>

#include "debug/fatal.hpp"
#include "sched/runtime_lock.hpp"
#include "sched/sched.hpp"

namespace goro::sync {
namespace {

// One parked Cond waiter; lives in notify_list_wait's frame.
struct notify_waiter {
  sched::G* g = nullptr;
  std::uint32_t ticket = 0;
  notify_waiter* next = nullptr;
};

bool ticket_less(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b) < 0; }

bool release_list(sched::G*, void* list) {
  sched::unlock_word(static_cast<detail::notify_list*>(list)->lock);
  return true;
}

// The lock-free "nothing to do" check of both notifies: no ticket was handed out since the last
// notification. relaxed: a waiter that must be woken took its ticket before releasing the Cond's
// lock, and the signaller either holds that lock or acts on a condition it saw under it; either way
// the increment happens-before these loads, and coherence makes them see it. A stale `notify` only
// sends us down the locked path.
bool nothing_to_notify(detail::notify_list& l) {
  return l.wait.load(std::memory_order_relaxed) == l.notify.load(std::memory_order_relaxed);
}

}  // namespace

std::uint32_t notify_list_add(detail::notify_list& l) {
  // relaxed: the ticket's publication is ordered by the caller's unlock (see nothing_to_notify),
  // and notify_list_wait compares it to `notify` under the list lock.
  return l.wait.fetch_add(1, std::memory_order_relaxed);
}

void notify_list_wait(detail::notify_list& l, std::uint32_t ticket) {
  sched::G* g = sched::current_g();
  if (g == nullptr) debug::fatal("goroutine operation outside goro::run");
  sched::lock_word(l.lock);
  // relaxed: written only under the lock we hold.
  if (ticket_less(ticket, l.notify.load(std::memory_order_relaxed))) {  // already notified
    sched::unlock_word(l.lock);
    return;
  }
  notify_waiter w;
  w.g = g;
  w.ticket = ticket;
  if (auto* tail = static_cast<notify_waiter*>(l.tail); tail != nullptr) {
    tail->next = &w;
  } else {
    l.head = &w;
  }
  l.tail = &w;
  sched::park(sched::wait_reason::cond_wait, release_list, &l);
}

void notify_list_notify_one(detail::notify_list& l) {
  if (nothing_to_notify(l)) return;
  sched::lock_word(l.lock);
  // relaxed: `notify` is ours under the lock; `wait` may grow meanwhile, which only means a newer
  // waiter we are not obliged to wake.
  const std::uint32_t t = l.notify.load(std::memory_order_relaxed);
  if (t == l.wait.load(std::memory_order_relaxed)) {
    sched::unlock_word(l.lock);
    return;
  }
  l.notify.store(t + 1, std::memory_order_relaxed);  // relaxed: under the lock, as above
  // The waiter holding ticket t is usually at or near the front: waiters queue in ticket order
  // except for the few that lost the race between taking a ticket and taking the lock. If it has
  // not queued yet it will see the new `notify` and not park.
  notify_waiter* prev = nullptr;
  for (auto* s = static_cast<notify_waiter*>(l.head); s != nullptr; prev = s, s = s->next) {
    if (s->ticket != t) continue;
    notify_waiter* next = s->next;
    if (prev != nullptr) {
      prev->next = next;
    } else {
      l.head = next;
    }
    if (next == nullptr) l.tail = prev;
    sched::unlock_word(l.lock);
    sched::ready(s->g);  // s may be gone after this
    return;
  }
  sched::unlock_word(l.lock);
}

void notify_list_notify_all(detail::notify_list& l) {
  if (nothing_to_notify(l)) return;
  sched::lock_word(l.lock);
  auto* s = static_cast<notify_waiter*>(l.head);
  l.head = l.tail = nullptr;
  // Every ticket handed out so far is notified: the ones queued are in our list, the others will
  // see `notify` when they take the lock. relaxed: under the lock (see the file comment).
  l.notify.store(l.wait.load(std::memory_order_relaxed), std::memory_order_relaxed);
  sched::unlock_word(l.lock);
  // Ready outside the lock, in queue order.
  while (s != nullptr) {
    notify_waiter* next = s->next;
    sched::ready(s->g);  // s may be gone after this
    s = next;
  }
}

}  // namespace goro::sync
