// The channel as the runtime sees it, and the steps shared by plain operations (chan.cpp) and
// select (select.cpp). chan.cpp holds the design essay; this header is the map.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "goro/chan.hpp"
#include "race/hooks.hpp"
#include "sched/runtime_lock.hpp"
#include "sched/sched.hpp"

namespace goro::channel {

struct waiter;

// Shared by the waiters of one blocked select: the first channel to claim it wins the select.
struct select_state {
  // false until a waker claims the select. Only ever set by a CAS (acq_rel, see waitq::dequeue).
  std::atomic<bool> done{false};
};

// One goroutine blocked on one channel operation (Go's sudog). It lives on the blocked goroutine's
// stack, in the frame of the operation, and is linked into the channel's send or receive queue;
// every field is guarded by that channel's lock while it is queued. Whoever dequeues it owns it
// until it readies the goroutine, and must not touch it afterwards.
struct waiter {
  sched::G* g = nullptr;
  waiter* next = nullptr;
  waiter* prev = nullptr;
  void* elem = nullptr;  // send: the value to take; receive: storage to fill (nullptr: discard)
  select_state* sel = nullptr;   // the select it belongs to, or nullptr for a plain send/receive
  std::uint32_t case_index = 0;  // select: which case this waiter stands for
  bool success = false;  // set by the waker: true = the value moved, false = the channel closed
};

// A FIFO of waiters (Go's waitq), guarded by the channel lock. `first` is also read without the
// lock by the non-blocking fast paths, hence atomic.
class waitq {
 public:
  // Lock-free peek for the non-blocking fast paths. acquire: a non-null first must come with the
  // channel state written before it was enqueued (the fast paths only use it as a hint anyway).
  bool empty_hint() const noexcept { return first_.load(std::memory_order_acquire) == nullptr; }

  void enqueue(waiter* w) noexcept;
  // Removes and returns the first waiter that can be woken; a select waiter counts only if this
  // call wins its select (the others are dropped: their select already fired elsewhere).
  waiter* dequeue() noexcept;
  // Removes w if still queued (a select taking back the waiters of cases that did not fire).
  void remove(waiter* w) noexcept;

 private:
  // Stores are relaxed: all writers hold the channel lock, whose release publishes them; lock-free
  // readers only peek at emptiness.
  std::atomic<waiter*> first_{nullptr};
  waiter* last_ = nullptr;
};

}  // namespace goro::channel

namespace goro::synctest {
struct bubble;
}

namespace goro::detail {

// One channel (Go's hchan). The buffer follows the struct in the same allocation.
//
// Invariants (under lock): at most one of sendq and recvq is non-empty; count > 0 implies recvq is
// empty; count < cap implies sendq is empty; closed implies sendq is empty. Once closed, never
// reopened.
//
// Layout: everything a send or receive writes (lock, count, indices, queues) fills the first 64
// bytes, and the struct is cache-line aligned, so an operation dirties one line of the header;
// the fields after it are written only at creation and by close (refs aside) and stay shared
// between cores.
struct alignas(64) chan_core {
  sched::runtime_lock lock;
  // count and closed: written under lock, read lock-free by the non-blocking fast paths (see
  // chan.cpp). Every access under the lock is relaxed (the lock orders them); the lock-free loads
  // state their order where they are.
  std::atomic<std::size_t> count{0};            // values in the buffer
  std::size_t sendx GORO_GUARDED_BY(lock) = 0;  // next slot to fill
  std::size_t recvx GORO_GUARDED_BY(lock) = 0;  // next slot to drain
  // Changed under lock; not annotated, as their emptiness is read without it (empty_hint).
  channel::waitq recvq;
  channel::waitq sendq;

  std::atomic<bool> closed{false};  // see count
  const chan_elem_ops* ops;
  std::size_t elem_size;
  std::size_t cap;
  unsigned char* buf;  // cap slots of elem_size bytes; nullptr when unbuffered
  bool trivial;        // ops->trivial, kept here for the fast paths
  // The id of the synctest bubble it was made in, 0 if none: a member blocked on it is durably
  // blocked only if it is the member's own bubble (synctest/bubble.hpp). An id, not the bubble's
  // address: the channel outlives its bubble, and a later bubble may get the same address.
  std::uint64_t bubble_id;

  // Handles sharing this channel. relaxed increments (a new handle is made from an existing one,
  // which keeps the channel alive); acq_rel decrement so the last owner sees every prior use.
  std::atomic<std::size_t> refs{1};

  unsigned char* slot(std::size_t i) const noexcept { return buf + i * elem_size; }
};

static_assert(offsetof(chan_core, sendq) + sizeof(channel::waitq) <= 64,
              "chan_core: the fields operations write must share the first cache line");

}  // namespace goro::detail

namespace goro::channel {

using detail::chan_core;

// The steps of a channel operation, run with c locked (they leave it locked). Afterwards the caller
// unlocks and then calls wake() for the waiter the step returned, if any: goroutines are readied
// with no channel lock held (lock order: channel locks, then sched.lock — ready() may take it).

// A receiver waits: move the value straight into its storage (Go's send).
void send_to_waiter(chan_core* c, waiter* receiver, void* src) noexcept GORO_REQUIRES(c->lock);
// Room in the buffer: append the value.
void send_to_buffer(chan_core* c, void* src) noexcept GORO_REQUIRES(c->lock);
// A sender waits: take its value (unbuffered), or the buffer's head while its value takes the freed
// tail slot (full buffer) (Go's recv).
void recv_from_waiter(chan_core* c, waiter* sender, void* dst) noexcept GORO_REQUIRES(c->lock);
// The buffer holds values: take the head.
void recv_from_buffer(chan_core* c, void* dst) noexcept GORO_REQUIRES(c->lock);
// Closed and drained: the receive completes with nothing (race: it observes the close).
void recv_closed(chan_core* c) noexcept GORO_REQUIRES(c->lock);

// Whether an operation on c may run the program's code (its element type's) and so shows the
// program's call site to the detector (race::call_site_scope): never in the plain build.
inline bool shows_call_site(const chan_core* c) { return GORO_RACE && c != nullptr && !c->trivial; }

// The single-channel operations behind goro::chan (chan.cpp); select.cpp uses them for selects with
// one channel case, as Go's compiler turns those into plain operations. pc: the user's call site.
void send(chan_core* c, void* elem, std::uintptr_t pc);
bool recv(chan_core* c, void* dst);
bool try_send(chan_core* c, void* elem, std::uintptr_t pc);
detail::chan_poll try_recv(chan_core* c, void* dst);

// Tells a dequeued waiter's goroutine how its operation ended and readies it. w belongs to the
// goroutine again once this returns.
inline void wake(waiter* w, bool success) {
  w->success = success;
  sched::G* g = w->g;
  g->param = w;
  sched::ready(g);
}

// The handles sharing channel c (the leak check); c must be alive. relaxed: a snapshot.
inline std::size_t handle_count(const void* c) {
  return static_cast<const chan_core*>(c)->refs.load(std::memory_order_relaxed);
}

// park() callback: releases the one channel lock held across the switch (taken by the parked
// goroutine: beyond what the analysis can follow).
bool unlock_after_park(sched::G* g, void* c) GORO_NO_THREAD_SAFETY_ANALYSIS;

// A blocking operation where no goroutine can block: Go's rule would be to block the thread, which
// a thread outside goro::run must not do.
[[noreturn]] void fatal_outside_goroutine();

// Parks the current goroutine for good (nil channel operations, select with no cases).
[[noreturn]] void block_forever(sched::wait_reason reason);

[[noreturn]] void panic_send_on_closed();

// A channel made in a synctest bubble belongs to it for good (Go 1.25): a send, receive, close or
// select on it by a goroutine of another bubble, of none, or by a thread outside goro::run is a
// fatal error "<op> on synctest channel from outside bubble". An outsider could otherwise wake a
// member the bubble's clock counts as durably blocked, and the clock would jump past it.
void check_bubble_member(const chan_core* c, const char* op);

inline void check_bubble(const chan_core* c, const char* op) {
  if (__builtin_expect(c->bubble_id != 0, false)) check_bubble_member(c, op);
}

}  // namespace goro::channel
