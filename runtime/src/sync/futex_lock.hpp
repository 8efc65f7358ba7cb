// futex_lock: the short internal lock of the semaphore table's buckets and of Cond's notify lists
// (Go's runtime `mutex`). It blocks the thread, not the goroutine, so it guards only a few dozen
// instructions and is never held across a goroutine switch, except that park() releases it from the
// scheduler stack once the parking goroutine is off its stack.
//
// The word is 0 (unlocked), 1 (locked) or 2 (locked, and a thread may sleep on it): Drepper's
// "Futexes Are Tricky" mutex, after a brief spin on multicore machines.
#pragma once

#include <atomic>
#include <cstdint>

namespace goro::sync {

// Acquires / releases the lock whose state is `word` (which starts at 0).
void futex_lock_acquire(std::atomic<std::uint32_t>& word);
void futex_lock_release(std::atomic<std::uint32_t>& word);

// The same as a BasicLockable object, for std::lock_guard.
class futex_lock {
 public:
  void lock() { futex_lock_acquire(word_); }
  void unlock() { futex_lock_release(word_); }

 private:
  std::atomic<std::uint32_t> word_{0};
};

}  // namespace goro::sync
