// Time: sleeping, one-shot timers, tickers and delayed calls, with Go 1.23's semantics.
//
// A sleeping goroutine, an armed Timer or a running Ticker is a pending timer: while one exists the
// runtime does not report a global deadlock (Go's rule). Timer and Ticker are handles: copies share
// one timer. Their channels behave like unbuffered ones: once stop() or reset() returns, no value
// from before the call is received.
//
// Example:
//   auto timeout = goro::after(std::chrono::milliseconds(50));
//   switch (goro::select(goro::recv_case(results), goro::recv_case(timeout))) {
//     case 0: /* got a result */ break;
//     case 1: /* timed out */ break;
//   }
#pragma once

#include <chrono>
#include <memory>
#include <type_traits>
#include <utility>

#include "goro/chan.hpp"
#include "goro/runtime.hpp"

namespace goro {

using time_point = std::chrono::steady_clock::time_point;

// The current time: std::chrono::steady_clock's, or, in a goroutine of a goro::synctest bubble,
// the bubble's fake clock (the one its sleeps, timers and tickers keep to).
time_point now();

// Blocks the goroutine (not the thread) for at least d. d <= 0 returns at once.
void sleep(std::chrono::nanoseconds d);

namespace detail {
struct timer_state;
std::shared_ptr<timer_state> make_timer(std::chrono::nanoseconds d, bool periodic, task_fn fn,
                                        void* closure, task_fn destroy);
}  // namespace detail

// A one-shot timer: after d, the current time is delivered on c() (or, for after_func, the function
// runs in its own goroutine). It keeps running when its handles are gone.
//
// Example:
//   goro::Timer t(std::chrono::seconds(1));
//   if (!t.stop()) { /* already delivered */ }
class Timer {
 public:
  explicit Timer(std::chrono::nanoseconds d);

  // The channel the expiry time is delivered on (a nil channel for after_func timers).
  chan<time_point> c() const { return detail::chan_access::adopt<time_point>(retained_chan()); }
  // Prevents the timer from firing. True if it was pending (its value not yet received).
  bool stop();
  // Re-arms the timer to fire after d. True if it was pending.
  bool reset(std::chrono::nanoseconds d);

 private:
  template <class F>
  friend Timer after_func(std::chrono::nanoseconds d, F&& f);
  explicit Timer(std::shared_ptr<detail::timer_state> state) : state_(std::move(state)) {}
  // c()'s channel with a reference for the caller: the library hands out no chan by value (see
  // GORO_TRIVIAL_ABI).
  detail::chan_core* retained_chan() const;
  std::shared_ptr<detail::timer_state> state_;
};

// A channel that receives the time once, after d (Go's time.After).
inline chan<time_point> after(std::chrono::nanoseconds d) { return Timer(d).c(); }

// Runs f in its own goroutine after d. The result may be discarded; the call still happens.
template <class F>
Timer after_func(std::chrono::nanoseconds d, F&& f) {
  using fn_type = std::decay_t<F>;
  auto* fn = new fn_type(std::forward<F>(f));
  return Timer(detail::make_timer(
      d, false, [](void* p) { (*static_cast<fn_type*>(p))(); }, fn,
      [](void* p) { delete static_cast<fn_type*>(p); }));
}

// Delivers the time on c() every d; a slow receiver misses ticks rather than queueing them.
// Destroying the last handle stops it.
//
// Example:
//   goro::Ticker tick(std::chrono::milliseconds(10));
//   for (int i = 0; i < 3; ++i) tick.c().recv();
class Ticker {
 public:
  explicit Ticker(std::chrono::nanoseconds d);

  chan<time_point> c() const { return detail::chan_access::adopt<time_point>(retained_chan()); }
  void stop();
  // Stops the ticker and restarts it with period d (d must be > 0).
  void reset(std::chrono::nanoseconds d);

 private:
  struct handle;
  detail::chan_core* retained_chan() const;  // as Timer's
  std::shared_ptr<handle> handle_;
};

}  // namespace goro
