// A synctest bubble's accounting: which members are durably blocked, and when to wake the root or
// a wait() caller (see bubble.hpp).
#include "synctest/bubble.hpp"

#include <utility>

#include "sched/sched.hpp"

namespace goro::synctest {
namespace {

// Whether g's wait can end only through the bubble: its parked reason, and for a channel wait
// whether every channel is the bubble's (the operation said so in waits_outside_bubble).
bool is_durable(const sched::G* g) {
  using sched::wait_reason;
  switch (g->reason) {
    case wait_reason::sleep:
    case wait_reason::cond_wait:
    case wait_reason::waitgroup_wait:
    case wait_reason::select_no_cases:
    case wait_reason::chan_receive_nil:
    case wait_reason::chan_send_nil:
      return true;
    case wait_reason::chan_receive:
    case wait_reason::chan_send:
    case wait_reason::select:
      return !g->waits_outside_bubble;
    default:  // locks, I/O, synctest's own waits, the internal park
      return false;
  }
}

// The goroutine the bubble's state now lets go on, taken off its slot: a wait() caller once every
// other member is durably blocked, else the root once all are (or none is left).
sched::G* take_wakeable(bubble& b) GORO_REQUIRES(b.lock) {
  if (b.active != 0) return nullptr;
  if (b.waiter != nullptr && b.running == 1) return std::exchange(b.waiter, nullptr);
  if (b.root != nullptr && b.running == 0) return std::exchange(b.root, nullptr);
  return nullptr;
}

// Called with b.lock held; unlocks it, then readies whoever the new state lets go on.
void unlock_and_wake(bubble& b) GORO_RELEASE(b.lock) {
  sched::G* wake = take_wakeable(b);
  b.lock.unlock();
  if (wake != nullptr) sched::ready(wake);
}

}  // namespace

std::uint64_t next_id() {
  static std::atomic<std::uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;  // relaxed: only unique
}

bubble* current() {
  sched::G* g = sched::current_g();
  return g != nullptr ? g->bubble : nullptr;
}

std::int64_t now_ns() {
  bubble* b = current();
  // relaxed: see bubble::now.
  return b != nullptr ? b->now.load(std::memory_order_relaxed) : timers::now_ns();
}

void started(sched::G* g) {
  bubble& b = *g->bubble;
  sched::runtime_lock_guard l(b.lock);
  if (b.main == nullptr) b.main = g;  // run() starts the first member
  ++b.total;
  ++b.running;
  g->bubble_blocked = false;
}

void parking(bubble* b, sched::G* g) {
  sched::runtime_lock_guard l(b->lock);
  ++b->active;
  if (is_durable(g)) {
    g->bubble_blocked = true;
    --b->running;
  }
  g->waits_outside_bubble = false;
}

void parked(bubble* b, sched::G* g, bool called_off) {
  b->lock.lock();
  if (called_off && g->bubble_blocked) {
    g->bubble_blocked = false;
    ++b->running;
  }
  --b->active;
  unlock_and_wake(*b);
}

void readied(sched::G* g) {
  bubble& b = *g->bubble;
  sched::runtime_lock_guard l(b.lock);
  if (g->bubble_blocked) {
    g->bubble_blocked = false;
    ++b.running;
  }
}

void exited(sched::G* g) {
  bubble& b = *g->bubble;
  g->bubble = nullptr;
  b.lock.lock();
  --b.total;
  --b.running;
  if (g == b.main) b.main_exited = true;
  unlock_and_wake(b);
}

void fired(bubble* b) {
  b->lock.lock();
  --b->active;
  unlock_and_wake(*b);
}

}  // namespace goro::synctest
