// Timer, Ticker, after and after_func on top of runtime timers.
//
// Each arming of a timer_state hands the heap its own strong reference (the timer's `arg`),
// released by the fire it produces or by the stop that removes it from the heap. So a Timer
// outlives its handles until it fires, and a fire that races with stop() or reset() never touches
// freed memory. The state's mutex orders fires against stop/reset: a fire from an older arming (its
// generation no longer current) does nothing, and stop/reset drain a value not yet received, which
// gives Go 1.23's "no stale value after Stop/Reset returns". For the race detector, arming
// (creation, reset) is a release on the timer and an after_func goroutine acquires it first, as
// Go's timers do; each run of the function is released to the closure, which the state's last
// owner acquires before destroying it (the program's delete is checked as a write). Lock order:
// timer_state.mu → channel lock → heap lock → sched.lock.
#include <algorithm>
#include <mutex>

#include "chan/chan.hpp"
#include "goro/time.hpp"
#include "race/hooks.hpp"
#include "synctest/bubble.hpp"
#include "time/timer.hpp"

namespace goro {
namespace detail {

struct timer_state {
  timers::timer t;
  std::mutex mu;
  std::uint64_t generation = 0;  // guarded by mu
  bool pending = false;          // armed, value not yet delivered; guarded by mu
  std::int64_t period = 0;       // > 0 for tickers
  chan<time_point> c;            // nil for after_func timers
  task_fn fn = nullptr;          // after_func's call
  void* closure = nullptr;
  task_fn destroy = nullptr;
  // Race builds: where after_func was called, the "created at" of the goroutines that run fn (the
  // goroutine is started by fire, whose stack is the runtime's alone).
  std::uint32_t race_created_at = 0;

  ~timer_state() {
    // The last owner may be a handle in a goroutine that never synchronised with the one that ran
    // fn; the reference count orders them, and the detector is told so (released after fn).
    race::acquire(&closure);
    if (destroy != nullptr) destroy(closure);
  }
};

}  // namespace detail

namespace {

using state_ref = std::shared_ptr<detail::timer_state>;

void fire(timers::timer* t, void* arg, std::uint64_t generation, std::int64_t now);

// mu held.
void arm(const state_ref& st, std::int64_t when) {
  st->t.when = when;
  st->t.generation = st->generation;
  st->t.arg = new state_ref(st);
  st->t.fire = fire;
  st->pending = true;
  timers::add(&st->t);
}

// The timer's channel belongs to the synctest bubble the timer was made in, and the runtime works
// it from outside: the bubble's root fires its timers, and a Stop from outside drains it. Neither
// is the user's operation the bubble check is about (chan/chan.hpp: check_bubble), so they go
// to the channel below that check.
void deliver(const chan<time_point>& c, std::int64_t now) {
  time_point value{std::chrono::nanoseconds(now)};
  // A full channel drops the tick.
  channel::try_send(detail::chan_access::core(c), &value,
                    reinterpret_cast<std::uintptr_t>(__builtin_return_address(0)));
}

bool drain(const chan<time_point>& c) {
  time_point value;
  return channel::try_recv(detail::chan_access::core(c), &value) == detail::chan_poll::received;
}

// mu held. Disarms; true if a value or call was still pending.
bool disarm(detail::timer_state& st) {
  ++st.generation;
  void* arming = st.t.arg;
  if (timers::remove(&st.t)) delete static_cast<state_ref*>(arming);
  bool was_pending = st.pending;
  st.pending = false;
  if (st.c && drain(st.c)) was_pending = true;
  return was_pending;
}

void fire(timers::timer*, void* arg, std::uint64_t generation, std::int64_t now) {
  std::unique_ptr<state_ref> ref(static_cast<state_ref*>(arg));
  detail::timer_state& st = **ref;
  std::lock_guard l(st.mu);
  if (generation != st.generation) return;  // stopped or reset since this arming
  if (st.c) deliver(st.c, now);
  if (st.fn != nullptr) {
    state_ref keep = *ref;
    race::created_at_next(st.race_created_at);
    go([keep] {
      race::acquire(keep.get());  // arming the timer happens before its function runs (as Go)
      keep->fn(keep->closure);
      race::release_merge(&keep->closure);  // ... and its run before the closure's destruction
    });
  }
  if (st.period > 0) {
    std::int64_t next = timers::saturating_add(st.t.when, st.period);
    if (next <= now) {  // skip missed ticks, as Go
      next = timers::saturating_add(next, st.period * (1 + (now - next) / st.period));
    }
    arm(*ref, next);
  } else {
    st.pending = false;
  }
}

// By the timer's own clock: a timer made in a synctest bubble keeps to the bubble's.
std::int64_t deadline_after(const detail::timer_state& st, std::chrono::nanoseconds d) {
  // relaxed: see synctest::bubble::now.
  std::int64_t now =
      st.t.bubble != nullptr ? st.t.bubble->now.load(std::memory_order_relaxed) : timers::now_ns();
  return timers::saturating_add(now, d.count());
}

}  // namespace

namespace detail {

std::shared_ptr<timer_state> make_timer(std::chrono::nanoseconds d, bool periodic, task_fn fn,
                                        void* closure, task_fn destroy) {
  auto st = std::make_shared<timer_state>();
  st->fn = fn;
  st->closure = closure;
  st->destroy = destroy;
  if (fn != nullptr) st->race_created_at = race::creation_stack_here();
  if (fn == nullptr) st->c = make_chan<time_point>(1);
  if (periodic) st->period = std::max<std::int64_t>(1, d.count());
  st->t.bubble = synctest::current();
  race::release(st.get());
  std::lock_guard l(st->mu);
  arm(st, deadline_after(*st, d));
  return st;
}

}  // namespace detail

Timer::Timer(std::chrono::nanoseconds d)
    : state_(detail::make_timer(d, false, nullptr, nullptr, nullptr)) {}

detail::chan_core* Timer::retained_chan() const {
  return detail::chan_access::release(chan<time_point>(state_->c));
}

bool Timer::stop() {
  std::lock_guard l(state_->mu);
  return disarm(*state_);
}

bool Timer::reset(std::chrono::nanoseconds d) {
  race::release(state_.get());
  std::lock_guard l(state_->mu);
  bool was_pending = disarm(*state_);
  arm(state_, deadline_after(*state_, d));
  return was_pending;
}

struct Ticker::handle {
  state_ref state;
  ~handle() {
    if (!state) return;  // the constructor panicked before arming
    std::lock_guard l(state->mu);
    disarm(*state);
  }
};

Ticker::Ticker(std::chrono::nanoseconds d) : handle_(std::make_shared<handle>()) {
  if (d.count() <= 0) panic("non-positive interval for NewTicker");
  handle_->state = detail::make_timer(d, true, nullptr, nullptr, nullptr);
}

detail::chan_core* Ticker::retained_chan() const {
  return detail::chan_access::release(chan<time_point>(handle_->state->c));
}

void Ticker::stop() {
  std::lock_guard l(handle_->state->mu);
  disarm(*handle_->state);
}

void Ticker::reset(std::chrono::nanoseconds d) {
  if (d.count() <= 0) panic("non-positive interval for Ticker.Reset");
  detail::timer_state& st = *handle_->state;
  std::lock_guard l(st.mu);
  disarm(st);
  st.period = d.count();
  arm(handle_->state, deadline_after(st, d));
}

}  // namespace goro
