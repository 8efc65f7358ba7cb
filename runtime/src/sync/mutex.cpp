// Mutex: Go's two-mode lock (normal and starvation; sema.cpp has the overview) and the out-of-line
// parts of goro::Mutex.
//
// The state word: bit 0 locked, bit 1 woken (a waiter has been woken, or a spinner announced
// itself, so unlock need not wake another), bit 2 starving, and the number of parked waiters above.
// Transitions are single CASes on the whole word, so the waiter count and the bits always agree.
// In starvation mode the locked bit stays clear while the lock is handed over: the woken waiter
// sets it (and leaves the mode if it is the last waiter or did not wait long) in one atomic add.
#include "sync/mutex.hpp"

#include <time.h>

#include "debug/fatal.hpp"
#include "goro/sync.hpp"
#include "race/hooks.hpp"
#include "sync/sema.hpp"
#include "sync/spin.hpp"

namespace goro::sync {
namespace {

// A waiter that waited longer than this switches the Mutex to starvation mode (Go's figure: long
// enough that normal mode's throughput wins in all but pathological cases, short enough to bound
// tail latency).
constexpr std::int64_t kStarvationThresholdNs = 1'000'000;

std::int64_t nanotime() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
}

[[noreturn]] void inconsistent() { debug::fatal("sync: inconsistent mutex state"); }

}  // namespace

void mutex_lock(std::atomic<std::int32_t>& state, std::uint32_t* sema, sched::wait_reason reason,
                lock_ref ref) {
  std::int32_t seen = 0;
  // acquire: the previous holder's critical section happens-before ours.
  if (state.compare_exchange_strong(seen, kMutexLocked, std::memory_order_acquire,
                                    std::memory_order_relaxed)) {
    return;
  }
  mutex_lock_slow(state, sema, reason, ref, seen);
}

void mutex_lock_slow(std::atomic<std::int32_t>& state, std::uint32_t* sema,
                     sched::wait_reason reason, lock_ref ref, std::int32_t seen) {
  std::int64_t wait_start = 0;
  bool starving = false;  // we have waited past the threshold
  bool awoke = false;     // we own the woken bit (set it while spinning, or were woken)
  int spins = 0;
  // relaxed loads of state throughout: each value only feeds a CAS, which re-checks it; the CASes
  // that take the lock are acquire.
  std::int32_t old = seen;
  for (;;) {
    // Spin while the lock is held in normal mode (starvation mode hands it to a waiter anyway).
    if ((old & (kMutexLocked | kMutexStarving)) == kMutexLocked && can_spin(spins)) {
      // Set the woken bit so that unlock does not wake a waiter who would only lose to us.
      // relaxed: the bit is only a hint to unlock; nothing is published or consumed with it.
      if (!awoke && (old & kMutexWoken) == 0 && (old >> kMutexWaiterShift) != 0 &&
          state.compare_exchange_weak(old, old | kMutexWoken, std::memory_order_relaxed)) {
        awoke = true;
      }
      do_spin();
      ++spins;
      old = state.load(std::memory_order_relaxed);
      continue;
    }
    std::int32_t desired = old;
    // Take the lock, unless it is starving: then it belongs to the first waiter, and we queue.
    if ((old & kMutexStarving) == 0) desired |= kMutexLocked;
    if ((old & (kMutexLocked | kMutexStarving)) != 0) desired += 1 << kMutexWaiterShift;
    // Only switch to starvation mode while the lock is held: an unlocked starving Mutex would
    // expect a handoff that no unlock is going to make.
    if (starving && (old & kMutexLocked) != 0) desired |= kMutexStarving;
    if (awoke) {
      if ((desired & kMutexWoken) == 0) inconsistent();
      desired &= ~kMutexWoken;  // we are either taking the lock or going back to sleep
    }
    // acquire on success: when this CAS takes the lock it must see the last holder's writes.
    if (!state.compare_exchange_weak(old, desired, std::memory_order_acquire,
                                     std::memory_order_relaxed)) {
      continue;  // old is reloaded by the failed CAS
    }
    if ((old & (kMutexLocked | kMutexStarving)) == 0) return;  // took it

    // Queued as a waiter: park. A goroutine that has waited before goes to the front of the queue.
    const bool requeue = wait_start != 0;
    if (wait_start == 0) wait_start = nanotime();
    lock_wait_begin(ref.lock, ref.kind);
    semacquire(sema, requeue, reason);
    lock_wait_end();
    starving = starving || nanotime() - wait_start > kStarvationThresholdNs;
    // acquire: in starvation mode the lock was handed to us by the unlocker, whose release we
    // pair with here (the semaphore already orders it; this keeps the reasoning local).
    old = state.load(std::memory_order_acquire);
    if ((old & kMutexStarving) != 0) {
      // Handed over: the lock bit is clear and we are still counted as a waiter.
      if ((old & (kMutexLocked | kMutexWoken)) != 0 || (old >> kMutexWaiterShift) == 0) {
        inconsistent();
      }
      std::int32_t delta = kMutexLocked - (1 << kMutexWaiterShift);
      // Leave starvation mode if we did not wait long, or nobody is left to starve: staying in it
      // would make the next lock/unlock pairs hand over and switch for nothing.
      if (!starving || (old >> kMutexWaiterShift) == 1) delta -= kMutexStarving;
      // acquire, as the load above: we now hold the lock.
      state.fetch_add(delta, std::memory_order_acquire);
      return;
    }
    awoke = true;  // the unlock that woke us set the woken bit on our behalf
    spins = 0;
    old = state.load(std::memory_order_relaxed);
  }
}

bool mutex_try_lock(std::atomic<std::int32_t>& state) {
  // relaxed: a first guess; the CAS below re-checks it and acquires on success.
  std::int32_t old = state.load(std::memory_order_relaxed);
  if ((old & (kMutexLocked | kMutexStarving)) != 0) return false;
  // acquire on success, as in mutex_lock. One attempt only: a lost race means someone else got in.
  return state.compare_exchange_strong(old, old | kMutexLocked, std::memory_order_acquire,
                                       std::memory_order_relaxed);
}

void mutex_unlock(std::atomic<std::int32_t>& state, std::uint32_t* sema) {
  // release: our critical section happens-before the next holder's.
  const std::int32_t now = state.fetch_sub(kMutexLocked, std::memory_order_release) - kMutexLocked;
  if (now != 0) mutex_unlock_slow(state, sema, now);
}

void mutex_unlock_slow(std::atomic<std::int32_t>& state, std::uint32_t* sema, std::int32_t now) {
  if (((now + kMutexLocked) & kMutexLocked) == 0) debug::fatal("sync: unlock of unlocked mutex");
  if ((now & kMutexStarving) != 0) {
    // Hand the lock to the first waiter and let it run on our P right away.
    semrelease(sema, true);
    return;
  }
  std::int32_t old = now;
  for (;;) {
    // Nobody to wake, or no need: the lock was taken again, a waiter is already awake, or the
    // Mutex turned starving (then the new holder's unlock hands over).
    if ((old >> kMutexWaiterShift) == 0 ||
        (old & (kMutexLocked | kMutexWoken | kMutexStarving)) != 0) {
      return;
    }
    // Take one waiter off the count and mark it woken; it will compete for the lock.
    // relaxed: the release that matters was the fetch_sub in unlock; this CAS publishes nothing.
    const std::int32_t desired = (old - (1 << kMutexWaiterShift)) | kMutexWoken;
    if (state.compare_exchange_weak(old, desired, std::memory_order_relaxed,
                                    std::memory_order_relaxed)) {
      semrelease(sema, false);
      return;
    }
  }
}

}  // namespace goro::sync

namespace goro {

// The out-of-line halves of the Mutex in <goro/sync.hpp>. The detector hooks sit here: the header's
// inline fast path exists only in builds without the race detector.

// The holder is stored after every acquisition and cleared before every release (sync.hpp's
// Mutex::owner_, read by sync/lock_wait.cpp); relaxed, as in the header's fast path.

void Mutex::lock_slow(std::int32_t seen) {
  sync::mutex_lock_slow(state_, &sema_, sched::wait_reason::mutex_lock,
                        {this, sync::lock_wait_kind::mutex}, seen);
  owner_.store(sync::running_holder(), std::memory_order_relaxed);
  race::acquire(this);
  race::lock_acquired(this, true, false,
                      reinterpret_cast<std::uintptr_t>(__builtin_return_address(0)));
}

bool Mutex::try_lock() noexcept {
  if (!sync::mutex_try_lock(state_)) return false;
  owner_.store(sync::running_holder(), std::memory_order_relaxed);
  race::acquire(this);
  race::lock_acquired(this, true, true,
                      reinterpret_cast<std::uintptr_t>(__builtin_return_address(0)));
  return true;
}

void Mutex::unlock_slow(std::int32_t now) { sync::mutex_unlock_slow(state_, &sema_, now); }

void Mutex::unlock_out_of_line() {
  race::lock_released(this);
  race::release(this);
  owner_.store(nullptr, std::memory_order_relaxed);
  sync::mutex_unlock(state_, &sema_);
}

}  // namespace goro
