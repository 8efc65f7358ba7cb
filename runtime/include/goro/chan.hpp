// Channels: typed queues that goroutines send values through, with Go's semantics.
//
// chan<T> is a handle: copies share one channel, and the channel lives as long as some handle does.
// A default-constructed handle is the nil channel: sending to or receiving from it blocks forever.
// make_chan<T>(n) makes a channel with room for n values; n == 0 (the default) makes an unbuffered
// channel, where a send waits for the receive it hands its value to. Every operation is const: it
// changes the channel, not the handle, so a handle captured by value needs no `mutable`.
//
// close() marks the end: receivers first drain what is buffered, then get "nothing" at once
// (recv() returns T{}, recv_ok() and try_recv() return std::nullopt). A send on a closed channel,
// closing twice and closing a nil channel throw goro::panic_error, as Go panics. Blocking (send,
// recv, recv_ok, ranging) parks the goroutine, never the thread; it is only allowed inside
// goro::run. The rest (make_chan, try_send, try_recv, close, len, cap) works anywhere, also before
// run() and on threads that are not goroutines.
//
// T may be move-only (std::unique_ptr) and needs to be default-constructible only for recv().
// Values are moved, never copied, on their way through; T's move constructor must not throw (if it
// does, the program terminates: the runtime cannot undo half a transfer).
//
// Example:
//   auto results = goro::make_chan<std::string>(16);
//   goro::go([results] {
//     for (int i = 0; i < 3; ++i) results.send("item " + std::to_string(i));
//     results.close();
//   });
//   for (std::string s : results) std::puts(s.c_str());   // ends when results is closed
#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

#include "goro/config.hpp"
#include "goro/runtime.hpp"

namespace goro {

template <class T>
class chan;

namespace detail {

// How the runtime moves and destroys elements it knows only by size, as Go's chan.go works on
// elemtype. One constant table per element type; the channel keeps a pointer to it.
struct chan_elem_ops {
  std::size_t size;
  std::size_t align;
  bool trivial;  // trivially copyable and destructible: moved with memcpy, never destroyed
  void (*move_construct)(void* dst, void* src) noexcept;  // constructs *dst from std::move(*src)
  void (*destroy)(void* p) noexcept;
};

template <class T>
inline constexpr chan_elem_ops chan_elem_ops_for = {
    sizeof(T),
    alignof(T),
    std::is_trivially_copyable_v<T>&& std::is_trivially_destructible_v<T>,
    [](void* dst, void* src) noexcept { ::new (dst) T(std::move(*static_cast<T*>(src))); },
    [](void* p) noexcept { static_cast<T*>(p)->~T(); },
};

// The channel itself lives in the runtime (src/chan/chan.hpp); the API sees only this name.
struct chan_core;

// What a non-blocking receive found.
enum class chan_poll : unsigned char { empty, received, closed };

// The runtime's channel operations (src/chan/chan.cpp). `elem` points to the sender's value, which
// is moved from when the send happens; `dst` to raw storage a received value is constructed in.
// A null channel is the nil channel.
chan_core* chan_make(const chan_elem_ops* ops, std::size_t cap);
void chan_retain(chan_core* c) noexcept;
void chan_release(chan_core* c) noexcept;
void chan_send(chan_core* c, GORO_NOESCAPE void* elem);
// false: closed and drained, nothing constructed
bool chan_recv(chan_core* c, GORO_NOESCAPE void* dst);
bool chan_try_send(chan_core* c, GORO_NOESCAPE void* elem);
chan_poll chan_try_recv(chan_core* c, GORO_NOESCAPE void* dst);
void chan_close(chan_core* c);
std::size_t chan_len(const chan_core* c) noexcept;
std::size_t chan_cap(const chan_core* c) noexcept;

// Raw, suitably aligned storage the runtime constructs one received T in.
template <class T>
class elem_slot {
 public:
  void* get() noexcept { return storage_; }
  T& value() noexcept { return *std::launder(reinterpret_cast<T*>(storage_)); }
  // Moves the value out and destroys the stored one.
  T take() noexcept(std::is_nothrow_move_constructible_v<T>) {
    T v(std::move(value()));
    value().~T();
    return v;
  }
  std::optional<T> take_optional() noexcept(std::is_nothrow_move_constructible_v<T>) {
    std::optional<T> v(std::in_place, std::move(value()));
    value().~T();
    return v;
  }

 private:
  alignas(T) unsigned char storage_[sizeof(T)];
};

// Lets select.hpp and the library's functions that hand out channels reach a handle's channel
// without making it part of chan's interface.
struct chan_access {
  template <class T>
  static chan_core* core(const chan<T>& c) noexcept {
    return c.core_;
  }
  // The handle's reference, which the caller now owns; h becomes the nil channel.
  template <class T>
  static chan_core* release(chan<T>&& h) noexcept {
    return std::exchange(h.core_, nullptr);
  }
  // A handle that takes over a reference the caller owns.
  template <class T>
  static chan<T> adopt(chan_core* c) noexcept {
    chan<T> h;
    h.core_ = c;
    return h;
  }
};

}  // namespace detail

// A channel of T values; see the top of this file.
//
// Example:
//   goro::chan<int> done = goro::make_chan<int>();
//   goro::go([done] { done.send(42); });
//   int answer = done.recv();
template <class T>
class GORO_TRIVIAL_ABI chan {
  static_assert(std::is_object_v<T> && !std::is_array_v<T> && !std::is_const_v<T> &&
                    !std::is_volatile_v<T>,
                "goro::chan<T>: T must be a non-const, non-array object type");
  static_assert(std::is_move_constructible_v<T>, "goro::chan<T>: T must be move-constructible");

 public:
  using value_type = T;
  class iterator;

  // The nil channel.
  constexpr chan() noexcept = default;
  constexpr chan(std::nullptr_t) noexcept {}  // NOLINT(google-explicit-constructor): Go's nil

  chan(const chan& other) noexcept : core_(other.core_) {
    if (core_ != nullptr) detail::chan_retain(core_);
  }
  chan(chan&& other) noexcept : core_(std::exchange(other.core_, nullptr)) {}
  chan& operator=(chan other) noexcept {
    std::swap(core_, other.core_);
    return *this;
  }
  ~chan() {
    if (core_ != nullptr) detail::chan_release(core_);
  }

  // Sends v, waiting until a receiver takes it (unbuffered) or there is room in the buffer.
  // Throws goro::panic_error("send on closed channel") if the channel is or gets closed meanwhile.
  void send(T v) const { detail::chan_send(core_, std::addressof(v)); }

  // Receives a value, waiting for one; T{} once the channel is closed and drained.
  T recv() const {
    static_assert(std::is_default_constructible_v<T>,
                  "goro::chan<T>::recv() returns T{} on a closed channel: use recv_ok() for a T "
                  "that is not default-constructible");
    detail::elem_slot<T> slot;
    if (detail::chan_recv(core_, slot.get())) return slot.take();
    return T{};
  }

  // Receives a value, waiting for one; std::nullopt once the channel is closed and drained
  // (Go's `v, ok := <-c`).
  std::optional<T> recv_ok() const {
    detail::elem_slot<T> slot;
    if (detail::chan_recv(core_, slot.get())) return slot.take_optional();
    return std::nullopt;
  }

  // Sends v if that can be done without waiting (Go's select with a default case): false if no
  // receiver is waiting and the buffer is full, or the channel is nil. v is gone either way.
  // Throws goro::panic_error("send on closed channel") on a closed channel, as Go's select does.
  bool try_send(T v) const { return detail::chan_try_send(core_, std::addressof(v)); }

  // Receives a value if one is ready: std::nullopt if none is, if the channel is nil, or if it is
  // closed and drained.
  std::optional<T> try_recv() const {
    detail::elem_slot<T> slot;
    if (detail::chan_try_recv(core_, slot.get()) == detail::chan_poll::received) {
      return slot.take_optional();
    }
    return std::nullopt;
  }

  // Closes the channel: waiting receivers get "nothing", waiting senders panic. Throws
  // goro::panic_error on a closed ("close of closed channel") or nil ("close of nil channel") one.
  void close() const { detail::chan_close(core_); }

  // The number of buffered values, and the buffer's size (both 0 for the nil channel). A snapshot:
  // len() creates no ordering with other goroutines.
  std::size_t len() const noexcept { return detail::chan_len(core_); }
  std::size_t cap() const noexcept { return detail::chan_cap(core_); }

  // `for (T v : c)` receives until the channel is closed and drained.
  iterator begin() const { return iterator(core_); }
  std::default_sentinel_t end() const noexcept { return {}; }

  // False for the nil channel.
  explicit operator bool() const noexcept { return core_ != nullptr; }

  // Handles compare by identity: equal when they share one channel (or are both nil).
  friend bool operator==(const chan& a, const chan& b) noexcept { return a.core_ == b.core_; }
  friend std::strong_ordering operator<=>(const chan& a, const chan& b) noexcept {
    return std::compare_three_way{}(a.core_, b.core_);
  }

 private:
  template <class U>
  friend chan<U> make_chan(std::size_t cap);
  friend struct detail::chan_access;

  detail::chan_core* core_ = nullptr;
};

// An input iterator that receives on each increment; equal to end() once the channel is closed and
// drained. *it yields the received value as an rvalue, so `for (auto v : c)` moves it out (and
// works for move-only T).
template <class T>
class chan<T>::iterator {
 public:
  using iterator_concept = std::input_iterator_tag;
  using iterator_category = std::input_iterator_tag;
  using value_type = T;
  using difference_type = std::ptrdiff_t;
  using reference = T&&;
  using pointer = T*;

  iterator() = default;

  T&& operator*() const { return std::move(*value_); }
  T* operator->() const { return std::addressof(*value_); }
  iterator& operator++() {
    receive();
    return *this;
  }
  void operator++(int) { receive(); }

  friend bool operator==(const iterator& it, std::default_sentinel_t) noexcept {
    return !it.value_.has_value();
  }

 private:
  friend class chan;
  explicit iterator(detail::chan_core* core) : core_(core) { receive(); }

  void receive() {
    value_.reset();
    detail::elem_slot<T> slot;
    if (detail::chan_recv(core_, slot.get())) {
      value_.emplace(std::move(slot.value()));
      slot.value().~T();
    }
  }

  detail::chan_core* core_ = nullptr;
  mutable std::optional<T> value_;  // mutable: *it on a const iterator hands the value out
};

// Makes a channel with a buffer of `cap` values (0: unbuffered). Allowed anywhere, also before
// goro::run(). Throws goro::panic_error("makechan: size out of range") if the buffer cannot exist.
template <class T>
chan<T> make_chan(std::size_t cap = 0) {
  chan<T> c;
  c.core_ = detail::chan_make(&detail::chan_elem_ops_for<T>, cap);
  return c;
}

}  // namespace goro

// Handles hash by identity, so they can key unordered containers.
template <class T>
struct std::hash<goro::chan<T>> {
  std::size_t operator()(const goro::chan<T>& c) const noexcept {
    return std::hash<const void*>{}(goro::detail::chan_access::core(c));
  }
};
