// Channels: make, send, receive, close, the non-blocking variants, and the transfer steps that
// select.cpp shares.
//
// Design, after Go's runtime (chan.go):
//
// A channel is one heap block: a header (chan_core) followed by the ring buffer of `cap` slots.
// Elements are type-erased: the header keeps the element's size and a table of two functions
// (move-construct, destroy) made by the template in <goro/chan.hpp>, so the whole implementation is
// compiled once, as Go's works on elemsize/typedmemmove. Trivially copyable elements skip the table
// and are moved with memcpy.
//
// One lock per channel guards everything in it: the ring indices and count, the closed flag and the
// two FIFO queues of blocked goroutines (waiters, Go's sudogs). A waiter lives on the blocked
// goroutine's own stack, in the frame of the operation it waits in, so blocking allocates nothing.
// Invariants, under the lock: at most one queue is non-empty (a sender waits only if no receiver
// does, and the other way round); values in the buffer imply no waiting receiver; a waiting sender
// implies a full buffer; a closed channel has no waiting senders.
//
// Transfers. A sender that finds a waiting receiver moves its value straight into the receiver's
// storage and readies it; the receiver then runs next on the same P (ready() puts it in runnext),
// which is what makes an unbuffered ping-pong cheap. A receiver that finds a waiting sender takes
// its value the same way, or, when the buffer is full, takes the buffer's head and moves the
// sender's value into the slot just freed (it is the new tail). Otherwise values go through the
// ring. Whoever completes a transfer does the move, under the lock, and readies the other goroutine
// after unlocking; the readied goroutine learns the outcome from its waiter's `success` flag
// (false: woken by close). The element's move constructor is user code and so runs under the
// channel lock; it must not block (it cannot park: nothing in the runtime lets it) and must not
// throw, and the goroutine must not be preempted inside it (sysmon::no_preempt tells the preemption
// path to wait). Moving after unlocking instead was rejected: a buffered slot must be filled before
// the lock publishes it, and Go's memory model edges of a hand-off need the lock's ordering too.
//
// Blocking goes through park(): the goroutine enqueues its waiter with the lock held and parks; the
// lock is released by park's callback once the goroutine is off its stack, so a waker — which needs
// the lock to find the waiter — can never ready a goroutine that is still running.
//
// close wakes every waiter: receivers with nothing (they return T{} / nullopt), senders to panic
// with "send on closed channel". Receivers drain the buffer before they see the close.
//
// Non-blocking operations (try_send, try_recv, and a select of one channel case and a default)
// first check without the lock whether they would fail, as Go does: "not ready" and "not closed"
// are each one atomic load, and because a channel never reopens, observing both (in the right
// order, see try_recv) means there was a moment when the operation could not proceed. A failing
// poll then costs two loads.
//
// Lock order: channel locks (several only in select, taken in address order), then sched.lock
// (which ready() may take). Goroutines are readied after the channel locks are released, so
// sched.lock is in practice never taken under a channel lock.
//
// The lock is the runtime lock (sched/runtime_lock.hpp): spins briefly, then a futex, Go's choice.
// std::mutex was measured against it on the pingpong and select benchmarks (docs/benchmarks.md
// workloads): see runtime/src/chan/README.md for the figures.
//
// Race detector (GORO_RACE): the same happens-before edges as Go's chan.go. A send is a read of the
// channel object and close a write, so a close racing with a send is reported. Buffered channels
// synchronise through per-slot sync addresses (the k-th receive happens before the (k+cap)-th send
// completes); unbuffered ones through one channel-wide address, in both directions. Because the
// element's move is user code run by whichever side completes the transfer, that side acquires the
// parked side's clock before the move and releases after it, acquiring on the parked side's behalf
// (acquire_g) so the move happens before the parked goroutine continues.
#include "chan/chan.hpp"

#include <algorithm>
#include <cstring>
#include <new>
#include <string>

#include "debug/fatal.hpp"
#include "race/hooks.hpp"
#include "sched/shuffle.hpp"
#include "synctest/bubble.hpp"
#include "sysmon/stack_guard.hpp"

namespace goro::channel {
namespace {

// Go's maxAlloc on 64-bit: larger buffers are "out of range" rather than an allocation failure.
constexpr std::size_t kMaxAlloc = std::size_t{1} << 48;

std::uintptr_t caller_pc(void* return_address) {
  return reinterpret_cast<std::uintptr_t>(return_address);
}

std::size_t round_up(std::size_t n, std::size_t align) { return (n + align - 1) / align * align; }

std::size_t core_align(const detail::chan_elem_ops* ops) {
  return std::max(alignof(chan_core), ops->align);
}

// Moves the element at src into raw storage dst; src stays a (moved-from) live object.
void move_elem(const chan_core* c, void* dst, void* src) noexcept {
  if (c->trivial) {
    // A word (ints, pointers: most channels) as one load and store: a call to memcpy for 8 bytes
    // cost more than the copy (buffered: 24 of its 206 instructions per value, callgrind).
    if (c->elem_size == sizeof(std::uint64_t))
      std::memcpy(dst, src, sizeof(std::uint64_t));
    else
      std::memcpy(dst, src, c->elem_size);
  } else {
    // User code under the channel lock: it must not be preempted there (see sysmon::no_preempt).
    sysmon::no_preempt guard;
    c->ops->move_construct(dst, src);
  }
}

void destroy_elem(const chan_core* c, void* p) noexcept {
  if (c->trivial) return;
  sysmon::no_preempt guard;
  c->ops->destroy(p);
}

// Moves the buffered element at slot into dst (or drops it when dst is null); the slot is raw
// after.
void take_from_slot(const chan_core* c, void* dst, void* slot) noexcept {
  if (dst != nullptr) move_elem(c, dst, slot);
  destroy_elem(c, slot);
}

void advance(const chan_core* c, std::size_t& index) noexcept {
  if (++index == c->cap) index = 0;
}

// Race detector: a buffer slot's sync address is reached only by the transfer steps below, which
// run under c->lock: their hooks say so (race::under_caller_lock), and the detector skips the
// slot's own lock.
//
// A transfer between the running goroutine and the parked goroutine `peer`, through the buffer
// slot addr, done by the running one. Before: the peer's past happens before the move.
// After: the move (and the running goroutine's past) happens before the peer continues, and the
// slot keeps that for the next send to it. (An unbuffered hand-off has no slot: race::handoff_*.)
void race_before_transfer(sched::G* peer, const void* addr) noexcept {
  race::release_g(peer, addr, race::under_caller_lock);
  race::acquire(addr, race::under_caller_lock);
}
void race_after_transfer(sched::G* peer, const void* addr) noexcept {
  race::release(addr, race::under_caller_lock);
  race::acquire_g(peer, addr, race::under_caller_lock);
}

// Invariant check (GORO_ASSERTIONS builds): a parked operation resumes only through wake().
void check_woken_by_waker(sched::G* g, const waiter* self, const char* op) {
#if GORO_ASSERTIONS
  if (g->param != self) {
    debug::fatal(std::string(op) + ": spurious wake-up (not readied by a waker of this channel)");
  }
#else
  (void)g, (void)self, (void)op;
#endif
  g->param = nullptr;
}

}  // namespace

// ---- waitq
//
// first_ is relaxed throughout: every caller holds the channel lock, whose release publishes the
// queue; the lock-free readers (empty_hint) take only its emptiness.

void waitq::enqueue(waiter* w) noexcept {
  w->next = nullptr;
  w->prev = last_;
  if (last_ != nullptr) {
    last_->next = w;
  } else {
    first_.store(w, std::memory_order_relaxed);  // relaxed: under the lock (see above)
  }
  last_ = w;
}

waiter* waitq::dequeue() noexcept {
  for (;;) {
    // relaxed: under the lock (see above).
    waiter* w = first_.load(std::memory_order_relaxed);
    if (w == nullptr) return nullptr;
    waiter* next = w->next;
    first_.store(next, std::memory_order_relaxed);
    if (next != nullptr) {
      next->prev = nullptr;
    } else {
      last_ = nullptr;
    }
    w->next = w->prev = nullptr;
    if (w->sel == nullptr) return w;
    // Wakers on different channels of one select race here, each holding only its own channel's
    // lock; the CAS's atomicity alone picks one winner. Nothing else is published through it (the
    // winner hands over via ready()), so any order would do; acq_rel costs the same on x86.
    bool expected = false;
    if (w->sel->done.compare_exchange_strong(expected, true, std::memory_order_acq_rel,
                                             std::memory_order_relaxed)) {
      return w;
    }
    // That select has already fired elsewhere: drop the waiter (its goroutine removes the rest of
    // its waiters itself, and remove() tolerates this one being gone).
  }
}

void waitq::remove(waiter* w) noexcept {
  waiter* prev = w->prev;
  waiter* next = w->next;
  if (prev != nullptr) {
    prev->next = next;
    if (next != nullptr) {
      next->prev = prev;
    } else {
      last_ = prev;
    }
  } else if (next != nullptr) {
    next->prev = nullptr;
    first_.store(next, std::memory_order_relaxed);  // relaxed here and below: under the lock
  } else if (first_.load(std::memory_order_relaxed) == w) {
    first_.store(nullptr, std::memory_order_relaxed);
    last_ = nullptr;
  }  // else: already dequeued by a waker that lost its select CAS
  w->next = w->prev = nullptr;
}

// ---- transfer steps (c locked)

void send_to_waiter(chan_core* c, waiter* receiver, void* src) noexcept {
  if (c->cap == 0) {
    race::handoff_begin(receiver->g);
    if (receiver->elem != nullptr) move_elem(c, receiver->elem, src);
    race::handoff_end();
    return;
  }
  // An empty buffer with a waiting receiver: to the race detector the value passes through the slot
  // it would have used, so the per-slot chain stays intact; the indices move along for the same
  // reason (both advance, the buffer stays empty).
  const void* addr = c->slot(c->recvx);
  race::acquire(
      addr,
      race::under_caller_lock);  // the receive that last used this slot happens before this send
  if (c->trivial) {
    // Go's edges exactly: this send happens before the receive, and the receive does NOT happen
    // before this send (it may be the (k+cap)-th one's). The copy is the runtime's memcpy, which
    // the detector does not see, so nothing of the receiver's needs to be ordered before it.
    if (receiver->elem != nullptr) move_elem(c, receiver->elem, src);
    race::release(addr, race::under_caller_lock);
    race::acquire_g(receiver->g, addr, race::under_caller_lock);
  } else {
    // A non-trivial move is user code running here on the receiver's storage: it must come after
    // the receiver's past, which also orders the receive before this send (a missed race at worst,
    // never a false one).
    race_before_transfer(receiver->g, addr);
    if (receiver->elem != nullptr) move_elem(c, receiver->elem, src);
    race_after_transfer(receiver->g, addr);
  }
  race::release_g(receiver->g, addr,
                  race::under_caller_lock);  // this receive, for the send that next uses the slot
  advance(c, c->recvx);
  c->sendx = c->recvx;
}

void send_to_buffer(chan_core* c, void* src) noexcept {
  void* slot = c->slot(c->sendx);
  if (c->trivial) {
    // The runtime's copy, unseen: both edges at once (one sync-object lookup, not two).
    race::acquire_release(slot, race::under_caller_lock);
    move_elem(c, slot, src);
  } else {
    race::acquire(slot, race::under_caller_lock);  // the receive k-cap, which emptied this slot,
                                                   // happens before send k
    move_elem(c, slot, src);
    race::release(slot,
                  race::under_caller_lock);  // after the (instrumented) move, which it must cover
  }
  advance(c, c->sendx);
  // relaxed: under c->lock, whose release publishes the slot; lock-free readers take a snapshot.
  c->count.store(c->count.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

void recv_from_waiter(chan_core* c, waiter* sender, void* dst) noexcept {
  if (c->cap == 0) {
    race::handoff_begin(sender->g);
    if (dst != nullptr) move_elem(c, dst, sender->elem);
    race::handoff_end();
    return;
  }
  // Full buffer: take the head, and the waiting sender's value takes the slot just freed, which is
  // the new tail (recvx == sendx when full).
  void* slot = c->slot(c->recvx);
  race::acquire(slot, race::under_caller_lock);  // send k happens before receive k
  take_from_slot(c, dst, slot);
  race_before_transfer(sender->g, slot);
  move_elem(c, slot, sender->elem);
  race_after_transfer(sender->g, slot);  // receive k happens before send k+cap completes
  advance(c, c->recvx);
  c->sendx = c->recvx;
}

void recv_from_buffer(chan_core* c, void* dst) noexcept {
  void* slot = c->slot(c->recvx);
  if (c->trivial) {
    race::acquire_release(slot, race::under_caller_lock);  // as in send_to_buffer
    take_from_slot(c, dst, slot);
  } else {
    race::acquire(slot, race::under_caller_lock);  // send k happens before receive k
    take_from_slot(c, dst, slot);
    race::release(slot, race::under_caller_lock);  // receive k happens before send k+cap
  }
  advance(c, c->recvx);
  // relaxed: under c->lock, as in send_to_buffer.
  c->count.store(c->count.load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
}

void recv_closed(chan_core* c) noexcept { race::acquire(c); }

// ---- blocking helpers

bool unlock_after_park(sched::G*, void* c) {
  static_cast<chan_core*>(c)->lock.unlock();
  return true;
}

void fatal_outside_goroutine() { debug::fatal("goroutine operation outside goro::run"); }

void block_forever(sched::wait_reason reason) {
  if (sched::current_g() == nullptr) fatal_outside_goroutine();
  for (;;) sched::park(reason, nullptr, nullptr);  // nobody ever readies it
}

void panic_send_on_closed() { goro::panic("send on closed channel"); }

void check_bubble_member(const chan_core* c, const char* op) {
  if (synctest::id_of(synctest::current()) != c->bubble_id) {
    debug::fatal(std::string(op) + " on synctest channel from outside bubble");
  }
}

// c locked, nothing ready: parks the current goroutine on queue q (elem: its value or its
// destination) until a peer or close wakes it; c is unlocked on return. Returns the waiter's
// success. Not analysed: park's callback releases the lock, on the scheduler stack.
bool wait_in_queue(chan_core* c, waitq& q, void* elem, sched::wait_reason reason, const char* op)
    GORO_RELEASE(c->lock) GORO_NO_THREAD_SAFETY_ANALYSIS {
  sched::G* g = sched::current_g();
  if (g == nullptr) {
    c->lock.unlock();
    fatal_outside_goroutine();
  }
  waiter self;
  self.g = g;
  self.elem = elem;
  q.enqueue(&self);
  g->blocked_chan = c;
  if (g->bubble != nullptr) g->waits_outside_bubble = c->bubble_id != g->bubble->id;
  sched::park(reason, unlock_after_park, c);
  g->blocked_chan = nullptr;
  check_woken_by_waker(g, &self, op);
  return self.success;
}

// c locked, and left locked: sends at once if a receiver waits or the buffer has room (true; a
// receiver to wake once c is unlocked goes to *woken); otherwise false. On a closed channel it
// unlocks c and panics.
bool send_now(chan_core* c, void* elem, waiter** woken) GORO_REQUIRES(c->lock) {
  // relaxed loads of closed and count here and in the operations below: c->lock orders them.
  if (c->closed.load(std::memory_order_relaxed)) {
    c->lock.unlock();
    panic_send_on_closed();
  }
  if (waiter* receiver = c->recvq.dequeue()) {
    send_to_waiter(c, receiver, elem);
    *woken = receiver;
    return true;
  }
  if (c->count.load(std::memory_order_relaxed) < c->cap) {  // relaxed: under c->lock
    send_to_buffer(c, elem);
    return true;
  }
  return false;
}

// ---- the operations (pc: the user's call site, for race reports)

void send(chan_core* c, void* elem, std::uintptr_t pc) {
  if (c == nullptr) block_forever(sched::wait_reason::chan_send_nil);
  check_bubble(c, "send");
  race::read_range(c, 1, pc);
  c->lock.lock();
  waiter* receiver = nullptr;
  if (send_now(c, elem, &receiver)) {
    c->lock.unlock();
    if (receiver != nullptr) wake(receiver, true);
    return;
  }
  // A receiver took the value (success), or close woke us.
  if (!wait_in_queue(c, c->sendq, elem, sched::wait_reason::chan_send, "chan send"))
    panic_send_on_closed();
}

bool recv(chan_core* c, void* dst) {
  if (c == nullptr) block_forever(sched::wait_reason::chan_receive_nil);
  check_bubble(c, "receive");
  c->lock.lock();
  if (waiter* sender = c->sendq.dequeue()) {
    recv_from_waiter(c, sender, dst);
    c->lock.unlock();
    wake(sender, true);
    return true;
  }
  if (c->count.load(std::memory_order_relaxed) > 0) {  // relaxed: under c->lock
    recv_from_buffer(c, dst);
    c->lock.unlock();
    return true;
  }
  if (c->closed.load(std::memory_order_relaxed)) {  // relaxed: under c->lock
    recv_closed(c);
    c->lock.unlock();
    return false;
  }
  // A sender filled dst (success), or close woke us (its race edge was made by the closer).
  return wait_in_queue(c, c->recvq, dst, sched::wait_reason::chan_receive, "chan receive");
}

bool try_send(chan_core* c, void* elem, std::uintptr_t pc) {
  if (c == nullptr) return false;
  race::read_range(c, 1, pc);
  // Lock-free failure: not closed and not ready. The two loads may be reordered: a channel that is
  // not ready for sending stays so when it gets closed, so either order shows a moment when both
  // held. relaxed: these are snapshots, nothing is read through them.
  if (!c->closed.load(std::memory_order_relaxed) &&
      (c->cap == 0 ? c->recvq.empty_hint() : c->count.load(std::memory_order_relaxed) == c->cap)) {
    return false;
  }
  c->lock.lock();
  waiter* receiver = nullptr;
  const bool sent = send_now(c, elem, &receiver);
  c->lock.unlock();
  if (receiver != nullptr) wake(receiver, true);
  return sent;
}

detail::chan_poll try_recv(chan_core* c, void* dst) {
  if (c == nullptr) return detail::chan_poll::empty;
  // Lock-free failure: not ready, then not closed. The order matters: a closed channel can become
  // not-ready (drained), so "not closed" must be observed after "not ready" — the acquire on the
  // first load keeps the second after it. Since a channel never reopens, "not closed" then also
  // held when "not ready" was seen.
  const bool not_ready =
      c->cap == 0 ? c->sendq.empty_hint() : c->count.load(std::memory_order_acquire) == 0;
  if (not_ready && !c->closed.load(std::memory_order_relaxed)) return detail::chan_poll::empty;
  c->lock.lock();
  if (waiter* sender = c->sendq.dequeue()) {
    recv_from_waiter(c, sender, dst);
    c->lock.unlock();
    wake(sender, true);
    return detail::chan_poll::received;
  }
  if (c->count.load(std::memory_order_relaxed) > 0) {  // relaxed (both): under c->lock
    recv_from_buffer(c, dst);
    c->lock.unlock();
    return detail::chan_poll::received;
  }
  if (c->closed.load(std::memory_order_relaxed)) {
    recv_closed(c);
    c->lock.unlock();
    return detail::chan_poll::closed;
  }
  c->lock.unlock();
  return detail::chan_poll::empty;
}

}  // namespace goro::channel

namespace goro::detail {

using channel::chan_core;

chan_core* chan_make(const chan_elem_ops* ops, std::size_t cap) {
  const std::size_t header = channel::round_up(sizeof(chan_core), ops->align);
  if (cap > (channel::kMaxAlloc - header) / ops->size) goro::panic("makechan: size out of range");
  void* mem = ::operator new (header + cap * ops->size, std::align_val_t{channel::core_align(ops)});
  auto* c = ::new (mem) chan_core;
  c->ops = ops;
  c->elem_size = ops->size;
  c->cap = cap;
  c->buf = cap > 0 ? static_cast<unsigned char*>(mem) + header : nullptr;
  c->trivial = ops->trivial;
  c->bubble_id = synctest::id_of(synctest::current());
  return c;
}

void chan_retain(chan_core* c) noexcept {
  // relaxed: the caller holds a handle already, so the channel cannot die meanwhile.
  c->refs.fetch_add(1, std::memory_order_relaxed);
}

// Not analysed for thread safety: the last owner reads the ring indices without c->lock, as no
// other thread can reach c any more.
void chan_release(chan_core* c) noexcept GORO_NO_THREAD_SAFETY_ANALYSIS {
  // Race detector: values left in the buffer are destroyed by the last owner, and a non-trivial
  // element's move into the buffer and its destructor are user code the detector sees. Dropping a
  // handle then is a release, as std::shared_ptr's count is, so every owner's moves happen before
  // the destruction. (Trivial elements are copied by the runtime, unseen: nothing to order.)
  const bool race_edge = !c->trivial && c->cap > 0;
  if (race_edge) race::release_merge(&c->refs);
  // acq_rel: every other owner's last use happens before the destruction below.
  if (c->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  if (race_edge) race::acquire(&c->refs);
  // Nobody can be blocked on it (a blocked goroutine's operation holds a handle), but values may
  // still sit in the buffer.
  std::size_t i = c->recvx;
  // relaxed: the acq_rel decrement above already ordered every owner's operations before this.
  for (std::size_t n = c->count.load(std::memory_order_relaxed); n > 0; --n) {
    channel::destroy_elem(c, c->slot(i));
    channel::advance(c, i);
  }
  const std::align_val_t align{channel::core_align(c->ops)};
  c->~chan_core();
  ::operator delete(c, align);
}

namespace {

// A send or receive that is a scheduling point first (race builds, seeded schedules). Out of line,
// so that the plain build's chan_send and chan_recv stay tail calls: with the point inlined they
// kept their arguments across it, 11 more instructions per operation (callgrind, pingpong).
[[gnu::noinline]] void send_after_point(chan_core* c, void* elem, std::uintptr_t pc) {
  sched::shuffle_point();
  channel::send(c, elem, pc);
}

[[gnu::noinline]] bool recv_after_point(chan_core* c, void* dst) {
  sched::shuffle_point();
  return channel::recv(c, dst);
}

// The same for an element type with code of its own, whose moves in and out of the value or the
// destination are the program's accesses: the program's call site goes on the detector's stack
// (race::call_site_scope), and the slot, which a peer may fill or empty if this goroutine
// parks, starts a variable's life (race::stack_slot_shared). Out of line for the same reason:
// channels of trivially copyable elements, most of them, pay a test.
[[gnu::noinline]] void send_at_call_site(chan_core* c, void* elem, std::uintptr_t pc) {
  const race::call_site_scope site(pc);
  race::stack_slot_shared(elem, c->elem_size);
  if (sched::shuffle_point_wanted()) sched::shuffle_point();
  channel::send(c, elem, pc);
}

[[gnu::noinline]] bool recv_at_call_site(chan_core* c, void* dst, std::uintptr_t pc) {
  const race::call_site_scope site(pc);
  if (dst != nullptr) race::stack_slot_shared(dst, c->elem_size);
  if (sched::shuffle_point_wanted()) sched::shuffle_point();
  return channel::recv(c, dst);
}

}  // namespace

void chan_send(chan_core* c, GORO_NOESCAPE void* elem) {
  const std::uintptr_t pc = channel::caller_pc(__builtin_return_address(0));
  if (channel::shows_call_site(c)) return send_at_call_site(c, elem, pc);
  if (sched::shuffle_point_wanted()) return send_after_point(c, elem, pc);
  channel::send(c, elem, pc);
}

bool chan_recv(chan_core* c, GORO_NOESCAPE void* dst) {
  if (channel::shows_call_site(c)) {
    return recv_at_call_site(c, dst, channel::caller_pc(__builtin_return_address(0)));
  }
  if (sched::shuffle_point_wanted()) return recv_after_point(c, dst);
  return channel::recv(c, dst);
}

bool chan_try_send(chan_core* c, GORO_NOESCAPE void* elem) {
  const std::uintptr_t pc = channel::caller_pc(__builtin_return_address(0));
  const race::call_site_scope site(pc, channel::shows_call_site(c));
  if (c != nullptr) channel::check_bubble(c, "send");
  return channel::try_send(c, elem, pc);
}

chan_poll chan_try_recv(chan_core* c, GORO_NOESCAPE void* dst) {
  const race::call_site_scope site(channel::caller_pc(__builtin_return_address(0)),
                                   channel::shows_call_site(c));
  if (c != nullptr) channel::check_bubble(c, "receive");
  return channel::try_recv(c, dst);
}

void chan_close(chan_core* c) {
  if (c == nullptr) goro::panic("close of nil channel");
  channel::check_bubble(c, "close");
  c->lock.lock();
  if (c->closed.load(std::memory_order_relaxed)) {  // relaxed: under c->lock
    c->lock.unlock();
    goro::panic("close of closed channel");
  }
  race::write_range(c, 1, channel::caller_pc(__builtin_return_address(0)));
  race::release(c);  // close happens before every receive that observes it
  // relaxed: lock holders are ordered by c->lock; the lock-free polls need only the value (a
  // channel never reopens), see try_recv.
  c->closed.store(true, std::memory_order_relaxed);
  // Collect every waiter (FIFO), then ready them with the lock released.
  channel::waiter* first = nullptr;
  channel::waiter** tail = &first;
  for (channel::waitq* q : {&c->recvq, &c->sendq}) {
    while (channel::waiter* w = q->dequeue()) {
      race::acquire_g(w->g, c);
      *tail = w;
      tail = &w->next;
    }
  }
  c->lock.unlock();
  while (first != nullptr) {
    channel::waiter* w = first;
    first = w->next;  // read before wake: w belongs to its goroutine afterwards
    channel::wake(w, false);
  }
}

std::size_t chan_len(const chan_core* c) noexcept {
  if (c == nullptr) return 0;
  race::read_range(c, 1, channel::caller_pc(__builtin_return_address(0)));
  // relaxed: a snapshot that orders nothing (SPEC: len creates no ordering).
  return c->count.load(std::memory_order_relaxed);
}

std::size_t chan_cap(const chan_core* c) noexcept {
  if (c == nullptr) return 0;
  race::read_range(c, 1, channel::caller_pc(__builtin_return_address(0)));
  return c->cap;
}

}  // namespace goro::detail
