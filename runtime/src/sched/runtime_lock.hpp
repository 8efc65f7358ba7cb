// runtime_lock: the runtime's own short lock (Go's runtime `mutex`, lock_futex.go), guarding a
// channel, a semaphore bucket or a Cond's notify list for a few dozen instructions. It blocks the
// thread, not the goroutine, and is never held across a switch: park() releases it from the
// scheduler stack once the parking goroutine is off its own. For the same reason it may be
// released by another thread than the one that took it.
//
// The word is 0 (unlocked), 1 (locked) or 2 (locked, and a thread may sleep on it): Drepper's
// "Futexes Are Tricky" mutex, after a brief spin on multicore machines. The uncontended lock and
// unlock are one atomic each, inline.
#pragma once

#include <atomic>
#include <cstdint>

#include "sched/thread_annotations.hpp"

namespace goro::sched {

void lock_word_slow(std::atomic<std::uint32_t>& word) noexcept;
void wake_word(std::atomic<std::uint32_t>& word) noexcept;

// Acquires the lock whose state is `word` (which starts at 0).
inline void lock_word(std::atomic<std::uint32_t>& word) noexcept {
  std::uint32_t expected = 0;
  // acquire: the critical section sees everything the previous holder wrote before its release.
  // Failure relaxed: the slow path reads the word afresh.
  if (word.compare_exchange_strong(expected, 1, std::memory_order_acquire,
                                   std::memory_order_relaxed))
    return;
  lock_word_slow(word);
}

// Releases it. release: publishes the critical section to the next holder. The word is the last
// thing touched before the wake-up system call, so a waiter may free the memory right after.
inline void unlock_word(std::atomic<std::uint32_t>& word) noexcept {
  if (word.exchange(0, std::memory_order_release) == 2) wake_word(word);
}

// The same as a BasicLockable object, and a capability for -Wthread-safety: fields it guards say
// GORO_GUARDED_BY, functions that need it held say GORO_REQUIRES.
class GORO_CAPABILITY("mutex") runtime_lock {
 public:
  void lock() noexcept GORO_ACQUIRE() { lock_word(word_); }
  void unlock() noexcept GORO_RELEASE() { unlock_word(word_); }

 private:
  std::atomic<std::uint32_t> word_{0};
};

// Holds a runtime_lock for a scope: std::lock_guard, but visible to -Wthread-safety (libstdc++'s
// guards carry no annotations, so the analysis would think the lock never held).
class GORO_SCOPED_CAPABILITY runtime_lock_guard {
 public:
  explicit runtime_lock_guard(runtime_lock& l) noexcept GORO_ACQUIRE(l) : lock_(l) { lock_.lock(); }
  ~runtime_lock_guard() GORO_RELEASE() { lock_.unlock(); }
  runtime_lock_guard(const runtime_lock_guard&) = delete;
  runtime_lock_guard& operator=(const runtime_lock_guard&) = delete;

 private:
  runtime_lock& lock_;
};

// Tells the CPU this is a spin-wait loop (x86 `pause`, Arm `yield`): saves power and lets the
// sibling hyper-thread, possibly the lock holder, run.
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
  asm volatile("yield" ::: "memory");
#else
  asm volatile("" ::: "memory");
#endif
}

// The number of CPUs the process may run on (at least 1), read once.
int online_cpus();

}  // namespace goro::sched
