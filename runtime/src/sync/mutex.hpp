// The Mutex algorithm on a bare (state word, semaphore) pair, without race-detector hooks: Mutex
// adds the hooks around it, RWMutex uses it for its writers' lock (with its own hooks and wait
// reason, as Go's RWMutex calls its inner Mutex with the detector disabled).
#pragma once

#include <atomic>
#include <cstdint>

#include "sched/wait_reason.hpp"
#include "sync/lock_wait.hpp"

namespace goro::sync {

// The bits of a mutex state word; the rest (state >> kMutexWaiterShift) counts parked waiters.
constexpr std::int32_t kMutexLocked = 1;
constexpr std::int32_t kMutexWoken = 2;  // a waiter is awake and competing: unlock wakes no other
constexpr std::int32_t kMutexStarving =
    4;  // handoff mode: unlock gives the lock to the first waiter
constexpr int kMutexWaiterShift = 3;

// The lock a waiter waits for, as partial deadlock detection knows it (sync/lock_wait.hpp): the
// Mutex or RWMutex, and which of its holders the waiter waits for.
struct lock_ref {
  const void* lock;
  lock_wait_kind kind;
};

// Takes the lock, spinning and parking as needed (waiters show `reason` in dumps).
void mutex_lock(std::atomic<std::int32_t>& state, std::uint32_t* sema, sched::wait_reason reason,
                lock_ref ref);

// The contended part of mutex_lock, for callers whose fast-path CAS found the state `seen`.
void mutex_lock_slow(std::atomic<std::int32_t>& state, std::uint32_t* sema,
                     sched::wait_reason reason, lock_ref ref, std::int32_t seen);

bool mutex_try_lock(std::atomic<std::int32_t>& state);

// Releases the lock; fatal ("sync: unlock of unlocked mutex") if it was not locked.
void mutex_unlock(std::atomic<std::int32_t>& state, std::uint32_t* sema);

// The part of mutex_unlock after the lock bit was cleared, leaving state `now`: wakes a waiter.
void mutex_unlock_slow(std::atomic<std::int32_t>& state, std::uint32_t* sema, std::int32_t now);

}  // namespace goro::sync
