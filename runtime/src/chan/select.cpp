// select over several channel cases (Go's selectgo); the single-channel steps it shares are in
// chan.cpp, whose essay describes channels.
//
// 1. Order. The cases on non-nil channels are shuffled into a random poll order (so among ready
//    cases each is equally likely), and their channels sorted by address into the lock order, each
//    channel once even if several cases use it. Every select locks in that global order, so two
//    selects over overlapping channels cannot deadlock; there is no global lock.
// 2. Poll. With every channel locked, the cases are tried in poll order; the first that can proceed
//    does, as the plain operation would. Nothing ready and a default case: return -1.
// 3. Wait. One waiter per case, all on this goroutine's stack and all sharing one select_state, is
//    queued on its channel; then the goroutine parks and park's callback unlocks every channel. A
//    waker on any channel dequeues our waiter only if it wins the select_state CAS, so exactly one
//    case fires; it completes the transfer as for a plain waiter and readies us with g->param set
//    to the waiter that fired.
// 4. Clean up. Awake, the goroutine relocks every channel and takes its other waiters back off
//    their queues (a waker that lost the CAS may have dropped some already: remove() tolerates it).
//
// The park callback reads the lock list on the parked goroutine's stack while another M may already
// run that goroutine: releasing the first lock lets a waker ready it. That is safe because the
// goroutine relocks all channels in the same order before it touches the list, and the callback
// reads each entry while still holding that entry's lock, touching nothing after the last unlock.
//
// A select has at most kInlineCases channel cases on its stack without allocating; more (rare:
// Go's own limit is 65536) take one heap block for the scratch arrays.
#include "goro/select.hpp"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <utility>

#include "chan/chan.hpp"
#include "debug/fatal.hpp"
#include "race/hooks.hpp"
#include "sched/shuffle.hpp"
#include "synctest/bubble.hpp"

namespace goro::channel {
namespace {

constexpr std::size_t kInlineCases = 8;

// The locked channels, in lock order; what park's callback releases.
struct lock_set {
  chan_core* const* cores;
  std::size_t n;
};

// These three take or drop every lock of a set, which the analysis cannot name: select_many's
// comment says how it is held.
void lock_all(const lock_set& set) noexcept GORO_NO_THREAD_SAFETY_ANALYSIS {
  for (std::size_t i = 0; i < set.n; ++i) set.cores[i]->lock.lock();
}

void unlock_all(const lock_set& set) noexcept GORO_NO_THREAD_SAFETY_ANALYSIS {
  for (std::size_t i = 0; i < set.n; ++i) set.cores[i]->lock.unlock();
}

bool unlock_all_after_park(sched::G*, void* arg) GORO_NO_THREAD_SAFETY_ANALYSIS {
  // Copy out first; each entry is read before its own unlock (see the top of the file).
  const lock_set set = *static_cast<const lock_set*>(arg);
  for (std::size_t i = 0; i < set.n; ++i) set.cores[i]->lock.unlock();
  return true;
}

// Per-thread random numbers for selects outside goroutines (an M has its own generator).
std::uint64_t thread_rand() {
  thread_local std::uint64_t state =
      reinterpret_cast<std::uintptr_t>(&state) * 0x9e3779b97f4a7c15ull;
  state += 0xa0761d6478bd642full;
  const __uint128_t r = static_cast<__uint128_t>(state) * (state ^ 0xe7037ed1a0b428dbull);
  return static_cast<std::uint64_t>(r >> 64) ^ static_cast<std::uint64_t>(r);
}

// A uniform integer in [0, n), by multiply-shift (Lemire), from 32 random bits.
std::uint32_t rand_below(sched::M* m, std::uint32_t n) {
  const std::uint64_t r = m != nullptr ? sched::fast_rand(m) : thread_rand();
  return static_cast<std::uint32_t>(
      (static_cast<std::uint64_t>(static_cast<std::uint32_t>(r)) * n) >> 32);
}

// Scratch arrays of one select: poll order, lock order, waiters.
class select_scratch {
 public:
  explicit select_scratch(std::size_t n) {
    if (n > kInlineCases) {
      heap_.reset(
          new unsigned char[n * (sizeof(std::uint32_t) + sizeof(chan_core*) + sizeof(waiter)) +
                            alignof(waiter)]);
      unsigned char* p = heap_.get();
      waiters_ = reinterpret_cast<waiter*>(
          (reinterpret_cast<std::uintptr_t>(p) + alignof(waiter) - 1) & ~(alignof(waiter) - 1));
      cores_ = reinterpret_cast<chan_core**>(waiters_ + n);
      poll_ = reinterpret_cast<std::uint32_t*>(cores_ + n);
    } else {
      waiters_ = reinterpret_cast<waiter*>(inline_waiters_);
      cores_ = inline_cores_;
      poll_ = inline_poll_;
    }
  }

  std::uint32_t* poll() { return poll_; }
  chan_core** cores() { return cores_; }
  waiter* waiters() { return waiters_; }

 private:
  std::uint32_t* poll_;
  chan_core** cores_;
  waiter* waiters_;
  std::unique_ptr<unsigned char[]> heap_;
  // Left uninitialised: only the first n entries are written, and only before they are read.
  std::uint32_t inline_poll_[kInlineCases];
  chan_core* inline_cores_[kInlineCases];
  alignas(waiter) unsigned char inline_waiters_[kInlineCases * sizeof(waiter)];
};

// A select with one channel case is the plain operation (Go's compiler rewrites it so): the dump
// then shows "chan receive" rather than "select", as Go's does.
int select_one(const detail::select_case_desc& cs, bool block, bool* received, std::uintptr_t pc) {
  // A select of one case is that operation, as Go compiles it (and names it when it fails); the
  // blocking send and recv check for themselves.
  if (!block && cs.c != nullptr) check_bubble(cs.c, cs.is_send ? "send" : "receive");
  if (cs.is_send) {
    if (block) {
      send(cs.c, cs.elem, pc);
      return 0;
    }
    return try_send(cs.c, cs.elem, pc) ? 0 : -1;
  }
  if (block) {
    *received = recv(cs.c, cs.elem);
    return 0;
  }
  switch (try_recv(cs.c, cs.elem)) {
    case detail::chan_poll::received:
      *received = true;
      return 0;
    case detail::chan_poll::closed:
      *received = false;
      return 0;
    case detail::chan_poll::empty:
      break;
  }
  return -1;
}

// Sorts the channels by address (the lock order). A select has a few cases: insertion sort is a
// handful of instructions there, where std::sort's set-up cost 65 per two-case select (callgrind).
void sort_by_address(chan_core** cores, std::size_t n) {
  constexpr std::size_t kInsertionSortMax = 16;
  if (n > kInsertionSortMax) {
    std::sort(cores, cores + n, std::less<>{});
    return;
  }
  for (std::size_t i = 1; i < n; ++i) {
    chan_core* c = cores[i];
    std::size_t j = i;
    for (; j > 0 && std::less<>{}(c, cores[j - 1]); --j) cores[j] = cores[j - 1];
    cores[j] = c;
  }
}

// Fills cores with the distinct channels of the polled cases in lock order (by address) and
// returns how many there are. Two cases, the common select, take one comparison: the general path
// cost 40 instructions more per select there (callgrind).
std::size_t lock_order(const detail::select_case_desc* cases, const std::uint32_t* poll,
                       std::uint32_t npoll, chan_core** cores) {
  if (npoll == 2) {
    chan_core* a = cases[poll[0]].c;
    chan_core* b = cases[poll[1]].c;
    if (std::less<>{}(b, a)) std::swap(a, b);
    cores[0] = a;
    cores[1] = b;
    return a == b ? 1 : 2;
  }
  for (std::uint32_t k = 0; k < npoll; ++k) cores[k] = cases[poll[k]].c;
  sort_by_address(cores, npoll);
  return static_cast<std::size_t>(std::unique(cores, cores + npoll) - cores);
}

waitq& queue_of(const detail::select_case_desc& cs) {
  return cs.is_send ? cs.c->sendq : cs.c->recvq;
}

// Not analysed for thread safety: it holds a set of channel locks (lock_all, unlock_all, and park's
// callback), which the analysis cannot name; the steps it calls under them say which lock they
// need.
int select_many(detail::select_case_desc* cases, std::size_t n, bool block, bool* received,
                std::uintptr_t pc) GORO_NO_THREAD_SAFETY_ANALYSIS {
  select_scratch scratch(n);
  std::uint32_t* poll = scratch.poll();
  chan_core** cores = scratch.cores();

  // Random poll order over the non-nil cases (inside-out Fisher-Yates).
  sched::M* m = sched::current_m();
  std::uint32_t npoll = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (cases[i].c == nullptr) continue;
    check_bubble(cases[i].c, "select");
    const std::uint32_t j = rand_below(m, npoll + 1);
    if (j != npoll) poll[npoll] = poll[j];
    poll[j] = i;
    ++npoll;
  }
  if (npoll == 0) {
    if (!block) return -1;
    block_forever(sched::wait_reason::select);  // only nil channels: Go blocks for good
  }

  const lock_set locks{cores, lock_order(cases, poll, npoll, cores)};
  lock_all(locks);

  // Pass 1: is a case ready? Every channel is locked, so its closed/count loads are relaxed.
  for (std::uint32_t k = 0; k < npoll; ++k) {
    const std::uint32_t i = poll[k];
    detail::select_case_desc& cs = cases[i];
    chan_core* c = cs.c;
    if (cs.is_send) {
      race::read_range(c, 1, pc);
      if (c->closed.load(std::memory_order_relaxed)) {
        unlock_all(locks);
        panic_send_on_closed();
      }
      if (waiter* receiver = c->recvq.dequeue()) {
        send_to_waiter(c, receiver, cs.elem);
        unlock_all(locks);
        wake(receiver, true);
        return static_cast<int>(i);
      }
      if (c->count.load(std::memory_order_relaxed) < c->cap) {
        send_to_buffer(c, cs.elem);
        unlock_all(locks);
        return static_cast<int>(i);
      }
    } else {
      if (waiter* sender = c->sendq.dequeue()) {
        recv_from_waiter(c, sender, cs.elem);
        unlock_all(locks);
        wake(sender, true);
        *received = true;
        return static_cast<int>(i);
      }
      if (c->count.load(std::memory_order_relaxed) > 0) {
        recv_from_buffer(c, cs.elem);
        unlock_all(locks);
        *received = true;
        return static_cast<int>(i);
      }
      if (c->closed.load(std::memory_order_relaxed)) {
        recv_closed(c);
        unlock_all(locks);
        *received = false;
        return static_cast<int>(i);
      }
    }
  }
  if (!block) {
    unlock_all(locks);
    return -1;
  }

  // Pass 2: wait on every channel at once. Queued in poll order, so when one channel appears in
  // several cases, which of them a waker finds first is random too.
  sched::G* g = sched::current_g();
  if (g == nullptr) {
    unlock_all(locks);
    fatal_outside_goroutine();
  }
  select_state state;
  waiter* waiters = scratch.waiters();
  for (std::uint32_t k = 0; k < npoll; ++k) {
    const std::uint32_t i = poll[k];
    waiter* w = ::new (&waiters[k]) waiter;
    w->g = g;
    w->elem = cases[i].elem;
    w->sel = &state;
    w->case_index = i;
    queue_of(cases[i]).enqueue(w);
  }
  g->param = nullptr;
  if (g->bubble != nullptr) {
    g->waits_outside_bubble = std::any_of(locks.cores, locks.cores + locks.n, [g](chan_core* c) {
      return c->bubble_id != g->bubble->id;
    });
  }
  lock_set parked_locks = locks;
  sched::park(sched::wait_reason::select, unlock_all_after_park, &parked_locks);

  // Pass 3: one waiter fired (its waker dequeued it); take the others back.
  auto* fired = static_cast<waiter*>(g->param);
  g->param = nullptr;
#if GORO_ASSERTIONS
  if (fired == nullptr || fired < waiters || fired >= waiters + npoll) {
    debug::fatal("select: woken without one of its cases firing");
  }
#endif
  lock_all(locks);
  for (std::uint32_t k = 0; k < npoll; ++k) {
    if (&waiters[k] != fired) queue_of(cases[poll[k]]).remove(&waiters[k]);
  }
  unlock_all(locks);

  const std::uint32_t i = fired->case_index;
  if (cases[i].is_send) {
    if (!fired->success) panic_send_on_closed();  // woken by close
  } else {
    *received = fired->success;  // false: woken by close (the closer made the race edge)
  }
  return static_cast<int>(i);
}

}  // namespace
}  // namespace goro::channel

namespace goro::detail {

int select_run(GORO_NOESCAPE select_case_desc* cases, std::size_t n, bool block,
               GORO_NOESCAPE bool* received, GORO_NOESCAPE void* value_buffer) {
  const auto pc = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
  bool element_code = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (!cases[i].is_send) cases[i].elem = cases[i].wants_value ? value_buffer : nullptr;
    if (channel::shows_call_site(cases[i].c)) {
      element_code = true;
      // A peer may move in or out of it if the select parks (see chan.cpp's send_at_call_site).
      if (cases[i].elem != nullptr) race::stack_slot_shared(cases[i].elem, cases[i].c->elem_size);
    }
  }
  const race::call_site_scope site(pc, element_code);
  sched::shuffle_point();
  if (n == 1) return channel::select_one(cases[0], block, received, pc);
  if (n == 0) {
    if (!block) return -1;
    select_block_forever();
  }
  return channel::select_many(cases, n, block, received, pc);
}

void select_block_forever() { channel::block_forever(sched::wait_reason::select_no_cases); }

}  // namespace goro::detail
