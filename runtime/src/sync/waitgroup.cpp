// WaitGroup: Go's 64-bit state word (counter in the high half, parked waiters in the low half) and
// a semaphore. Because both halves change in one atomic operation, the done() that brings the
// counter to zero learns, in the same step, exactly how many waiters to wake.
//
// Detector edges, as Go's: done() (any negative delta) merges its clock into the WaitGroup and
// wait() acquires it; add(+n) creates no edge, so a WaitGroup used as a lock is still reported.
// A first add() concurrent with a wait() is reported as a race on sema_ (read by add, written by
// the first waiter), which is how Go flags that misuse.
#include <atomic>

#include "debug/fatal.hpp"
#include "goro/runtime.hpp"
#include "goro/sync.hpp"
#include "race/hooks.hpp"
#include "sched/sched.hpp"
#include "sync/sema.hpp"

namespace goro {
namespace {

constexpr int kCounterShift = 32;

std::int32_t counter_of(std::uint64_t state) {
  return static_cast<std::int32_t>(state >> kCounterShift);
}
std::uint32_t waiters_of(std::uint64_t state) { return static_cast<std::uint32_t>(state); }

[[noreturn]] void misuse(const char* what) { throw panic_error(what); }

}  // namespace

GORO_NOINLINE void WaitGroup::add(int delta) {
  const auto pc = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
  if (delta < 0) race::release_merge(this);
  // acq_rel. release: our work happens-before the waiters (through the last decrement). acquire:
  // the decrement that reaches zero must also carry the earlier done()s' work to the waiters it
  // wakes, so it acquires their releases (they head release sequences this RMW continues).
  const std::uint64_t step = static_cast<std::uint64_t>(static_cast<std::int64_t>(delta))
                             << kCounterShift;
  const std::uint64_t state = state_.fetch_add(step, std::memory_order_acq_rel) + step;
  const std::int32_t v = counter_of(state);
  const std::uint32_t w = waiters_of(state);
  if (delta > 0 && v == delta) race::read_range(&sema_, sizeof(sema_), pc);  // from zero
  if (v < 0) misuse("sync: negative WaitGroup counter");
  if (w != 0 && delta > 0 && v == delta) {
    misuse("sync: WaitGroup misuse: Add called concurrently with Wait");
  }
  if (v > 0 || w == 0) return;
  // The counter is zero and w goroutines wait. Nobody may touch the state now but us: an add or
  // wait arriving meanwhile is misuse. relaxed: a sanity check of a word only we should be writing.
  if (state_.load(std::memory_order_relaxed) != state) {
    misuse("sync: WaitGroup misuse: Add called concurrently with Wait");
  }
  // Reset the waiter count for reuse. Counted waiters are woken through the semaphore, which orders
  // this store before their return; release for a wait() that arrives after it, reads 0 with its
  // acquire load and returns at once: the plain store ends the decrements' release sequence, so it
  // must carry their work on itself (we acquired it with the last decrement).
  state_.store(0, std::memory_order_release);
  sync::semrelease_n(&sema_, w);
}

GORO_NOINLINE void WaitGroup::wait() {
  const auto pc = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
  // acquire: pairs with the decrements' releases, so the finished work is visible when we return.
  std::uint64_t state = state_.load(std::memory_order_acquire);
  for (;;) {
    if (counter_of(state) == 0) {
      race::acquire(this);
      return;
    }
    if (sched::current_g() == nullptr) debug::fatal("goroutine operation outside goro::run");
    // Count ourselves as a waiter. acquire on failure too: the reloaded state may show zero.
    if (state_.compare_exchange_weak(state, state + 1, std::memory_order_acquire,
                                     std::memory_order_acquire)) {
      if (waiters_of(state) == 0) race::write_range(&sema_, sizeof(sema_), pc);  // first waiter
      sync::semacquire(&sema_, false, sched::wait_reason::waitgroup_wait);
      // The waker zeroed the state before waking anyone. relaxed: ordered by the semaphore.
      if (state_.load(std::memory_order_relaxed) != 0) {
        misuse("sync: WaitGroup is reused before previous Wait has returned");
      }
      race::acquire(this);
      return;
    }
  }
}

}  // namespace goro
