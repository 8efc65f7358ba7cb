// select: wait on several channel operations at once and carry out exactly one (Go's select).
//
// goro::select(cases...) takes recv_case, send_case and at most one default_case, and returns the
// index (in argument order) of the case it carried out. When several cases are ready it picks one
// uniformly at random; when none is, it runs the default case if there is one, otherwise it waits
// until one becomes ready. Cases on nil channels are never ready. A send case on a closed channel
// throws goro::panic_error("send on closed channel"), as Go's select panics. Each case may carry a
// callback, run after the select has completed (outside any channel lock):
//
//   recv_case(c)             recv_case(c, f)       f(T v, bool ok), f(T v) or f()
//   send_case(c, v)          send_case(c, v, f)    f()
//   default_case()           default_case(f)       f()
//
// For a receive, ok is false when the channel was closed (and drained); v is then T{}. select()
// with no cases blocks forever (a dump shows "select (no cases)").
//
// Cases are meant to be written inside the select call: they refer to their channel without
// holding a handle of their own, so the channel handle must outlive the call (any handle
// expression in the argument list does).
//
// Example:
//   auto timeout = goro::after(std::chrono::seconds(1));
//   for (bool done = false; !done;) {
//     goro::select(
//         goro::recv_case(jobs, [&](Job j, bool ok) { if (ok) run(j); else done = true; }),
//         goro::send_case(progress, count),
//         goro::recv_case(timeout, [&] { done = true; }));
//   }
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

#include "goro/chan.hpp"
#include "goro/config.hpp"

namespace goro {

namespace detail {

// One channel case as the runtime sees it (src/chan/select.cpp).
struct select_case_desc {
  chan_core* c;  // nullptr: a nil channel, never ready
  void* elem;    // send: the value, moved from if the case fires; receive: set by select_run
  bool is_send;
  bool wants_value;  // receive: the value goes to select_run's value_buffer (else it is dropped)
};

// Carries out one of the n channel cases (Go's selectgo). Returns the index of the case that fired;
// -1 if block is false and none was ready. A receive case that wants its value gets it constructed
// in value_buffer, and *received tells whether a value arrived (false: the channel is closed).
// n == 0 with block set, or only nil channels, waits forever. The buffer is a separate argument,
// not a pointer stored in the cases, so the race instrumentation can see it stays private to the
// goroutine (GORO_NOESCAPE).
int select_run(GORO_NOESCAPE select_case_desc* cases, std::size_t n, bool block,
               GORO_NOESCAPE bool* received, GORO_NOESCAPE void* value_buffer);

// select() with no cases.
[[noreturn]] void select_block_forever();

struct no_callback {};

// Calls a receive case's callback with the value and ok flag it accepts.
template <class T, class F>
void invoke_recv_callback(F& f, T&& v, bool ok) {
  if constexpr (std::is_invocable_v<F&, T&&, bool>) {
    f(std::forward<T>(v), ok);
  } else if constexpr (std::is_invocable_v<F&, T&, bool>) {
    f(v, ok);
  } else if constexpr (std::is_invocable_v<F&, T&&>) {
    f(std::forward<T>(v));
  } else {
    static_assert(std::is_invocable_v<F&, T&>,
                  "recv_case callback must take (T v, bool ok), (T v) or ()");
    f(v);
  }
}

// A receive case. The value arrives in storage the select provides (one buffer for all receive
// cases, since only one fires), not in the case, so the case object never has its address handed
// to the runtime and stays private to the goroutine (the race instrumentation then skips it).
template <class T, class F>
class recv_case_t {
 public:
  // Callbacks taking no value (and recv_case without a callback) let the runtime discard it.
  static constexpr bool kWantsValue = !std::is_same_v<F, no_callback> && !std::is_invocable_v<F&>;
  static constexpr std::size_t kValueSize = kWantsValue ? sizeof(T) : 0;
  static constexpr std::size_t kValueAlign = alignof(T);

  recv_case_t(chan_core* c, F f) : c_(c), f_(std::move(f)) {}

  GORO_NOINSTR select_case_desc desc() noexcept { return {c_, nullptr, false, kWantsValue}; }

  // The select chose this case; `received` says whether a value was constructed in the buffer.
  void fire(bool received, void* value_buffer) {
    if constexpr (kWantsValue) {
      if (received) {
        T& stored = *std::launder(static_cast<T*>(value_buffer));
        T v(std::move(stored));
        stored.~T();
        invoke_recv_callback(f_, std::move(v), true);
      } else {
        static_assert(std::is_default_constructible_v<T>,
                      "recv_case: a callback taking the value gets T{} from a closed channel, so T "
                      "must be default-constructible");
        invoke_recv_callback(f_, T{}, false);
      }
    } else if constexpr (!std::is_same_v<F, no_callback>) {
      f_();
    }
  }

 private:
  chan_core* c_;
  [[no_unique_address]] F f_;
};

template <class T, class F>
class send_case_t {
 public:
  send_case_t(chan_core* c, T v, F f) : c_(c), value_(std::move(v)), f_(std::move(f)) {}

  static constexpr std::size_t kValueSize = 0;
  static constexpr std::size_t kValueAlign = 1;

  GORO_NOINSTR select_case_desc desc() noexcept {
    return {c_, std::addressof(value_), true, false};
  }

  void fire(bool, void*) {
    if constexpr (!std::is_same_v<F, no_callback>) {
      static_assert(std::is_invocable_v<F&>, "send_case callback must take no arguments");
      f_();
    }
  }

 private:
  chan_core* c_;
  T value_;
  [[no_unique_address]] F f_;
};

template <class F>
class default_case_t {
 public:
  static constexpr std::size_t kValueSize = 0;
  static constexpr std::size_t kValueAlign = 1;

  explicit default_case_t(F f) : f_(std::move(f)) {}

  void fire(bool, void*) {
    if constexpr (!std::is_same_v<F, no_callback>) {
      static_assert(std::is_invocable_v<F&>, "default_case callback must take no arguments");
      f_();
    }
  }

 private:
  [[no_unique_address]] F f_;
};

template <class C>
inline constexpr bool is_default_case_v = false;
template <class F>
inline constexpr bool is_default_case_v<default_case_t<F>> = true;

template <class C>
inline constexpr bool is_select_case_v = is_default_case_v<C>;
template <class T, class F>
inline constexpr bool is_select_case_v<recv_case_t<T, F>> = true;
template <class T, class F>
inline constexpr bool is_select_case_v<send_case_t<T, F>> = true;

// For the channel cases in argument order: their argument index. Entry nchan: the default's (or
// -1).
template <class... Cases>
constexpr auto select_arg_indices() {
  constexpr bool is_default[] = {is_default_case_v<Cases>...};
  std::array<int, sizeof...(Cases) + 1> out{};
  std::size_t k = 0;
  int default_arg = -1;
  for (std::size_t i = 0; i < sizeof...(Cases); ++i) {
    if (is_default[i]) {
      default_arg = static_cast<int>(i);
    } else {
      out[k++] = static_cast<int>(i);
    }
  }
  out[k] = default_arg;
  return out;
}

template <class Case>
GORO_NOINSTR void add_select_desc(select_case_desc*& out, Case& c) noexcept {
  if constexpr (!is_default_case_v<Case>) *out++ = c.desc();
}

template <std::size_t... I, class... Cases>
int select_cases(std::index_sequence<I...>, Cases&... cases) {
  constexpr std::size_t ndefault = (std::size_t{is_default_case_v<Cases>} + ... + 0);
  constexpr std::size_t nchan = sizeof...(Cases) - ndefault;
  static constexpr auto args = select_arg_indices<Cases...>();  // constant: never instrumented
  int chosen;
  bool received = false;
  alignas(Cases::kValueAlign...) unsigned char
      value_buffer[std::max({std::size_t{1}, Cases::kValueSize...})];
  if constexpr (nchan == 0) {
    chosen = args[0];  // only a default case
  } else {
    select_case_desc descs[nchan];
    select_case_desc* out = descs;
    (add_select_desc(out, cases), ...);
    const int fired = select_run(descs, nchan, ndefault == 0, &received, value_buffer);
    chosen = fired < 0 ? args[nchan] : args[static_cast<std::size_t>(fired)];
  }
  ((static_cast<int>(I) == chosen ? cases.fire(received, value_buffer) : void()), ...);
  return chosen;
}

}  // namespace detail

// A case receiving from c; the value is dropped.
template <class T>
detail::recv_case_t<T, detail::no_callback> recv_case(const chan<T>& c) {
  return {detail::chan_access::core(c), {}};
}

// A case receiving from c, then calling f(v, ok), f(v) or f().
template <class T, class F>
detail::recv_case_t<T, std::decay_t<F>> recv_case(const chan<T>& c, F&& f) {
  return {detail::chan_access::core(c), std::forward<F>(f)};
}

// A case sending v on c.
template <class T>
detail::send_case_t<T, detail::no_callback> send_case(const chan<T>& c, std::type_identity_t<T> v) {
  return {detail::chan_access::core(c), std::move(v), {}};
}

// A case sending v on c, then calling f().
template <class T, class F>
detail::send_case_t<T, std::decay_t<F>> send_case(const chan<T>& c, std::type_identity_t<T> v,
                                                  F&& f) {
  return {detail::chan_access::core(c), std::move(v), std::forward<F>(f)};
}

// The case taken when no other is ready.
inline detail::default_case_t<detail::no_callback> default_case() {
  return detail::default_case_t<detail::no_callback>({});
}

// The case taken when no other is ready, calling f().
template <class F>
detail::default_case_t<std::decay_t<F>> default_case(F&& f) {
  return detail::default_case_t<std::decay_t<F>>(std::forward<F>(f));
}

// Carries out one ready case (uniformly at random among the ready ones), the default case if none
// is ready, or waits for one; returns its index in argument order. See the top of this file.
template <class... Cases>
int select(Cases... cases) {
  static_assert((detail::is_select_case_v<Cases> && ...),
                "goro::select takes recv_case, send_case and default_case arguments");
  static_assert((std::size_t{detail::is_default_case_v<Cases>} + ... + 0) <= 1,
                "goro::select: at most one default_case");
  if constexpr (sizeof...(Cases) == 0) {
    detail::select_block_forever();
  } else {
    return detail::select_cases(std::index_sequence_for<Cases...>{}, cases...);
  }
}

}  // namespace goro
