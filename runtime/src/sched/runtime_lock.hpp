// runtime_lock: the runtime's own short lock (Go's runtime `mutex`, lock_futex.go), guarding a
// channel, a semaphore bucket or a Cond's notify list for a few dozen instructions. It blocks the
// thread, not the goroutine, and is never held across a switch: park() releases it from the
// scheduler stack once the parking goroutine is off its own. For the same reason it may be
// released by another thread than the one that took it.
//
// Two forms. The bare word (lock_word, unlock_word: where the lock lives in a public or packed
// struct) is 0 (unlocked), 1 (locked) or 2 (locked, and a thread may sleep on it): Drepper's
// "Futexes Are Tricky" mutex, after a brief spin on multicore machines; the uncontended lock and
// unlock are one atomic read-modify-write each, inline. The runtime_lock class (channels, the
// scheduler's locks) counts its sleepers apart and unlocks with a plain store (its comment).
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

// The same lock as a BasicLockable object, and a capability for -Wthread-safety: fields it guards
// say GORO_GUARDED_BY, functions that need it held say GORO_REQUIRES.
//
// Unlike the bare word above, it keeps its sleepers in a second word, so that unlocking is a plain
// release store: no atomic read-modify-write. On the AMD EPYC VM of docs/benchmarks.md the
// exchange cost more than the rest of a buffered channel operation (buffered, 10M values,
// GOMAXPROCS=1: 303 -> 192 ms; 2: 450 -> 315 ms). The price is a race the exchange closes: the
// unlocker reads the sleeper count before its store (after it, another thread may take the lock
// and free the memory), so a thread that registers as a sleeper between that read and the store
// can sleep through the release. Sleepers therefore wait with a timeout (runtime_lock.cpp), which
// bounds that rare case; any later unlock wakes them as usual.
class GORO_CAPABILITY("mutex") runtime_lock {
 public:
  void lock() noexcept GORO_ACQUIRE() {
    std::uint32_t expected = 0;
    // acquire, failure relaxed: as lock_word.
    if (!locked_.compare_exchange_strong(expected, 1, std::memory_order_acquire,
                                         std::memory_order_relaxed))
      lock_slow();
  }
  void unlock() noexcept GORO_RELEASE() {
    // relaxed: a hint; the timeout covers a sleeper it misses (class comment).
    const bool wake = sleepers_.load(std::memory_order_relaxed) != 0;
    // release: publishes the critical section to the next holder. Nothing of *this is touched
    // after it: the wake-up system call uses only the address.
    locked_.store(0, std::memory_order_release);
    if (wake) wake_word(locked_);
  }

 private:
  void lock_slow() noexcept;

  std::atomic<std::uint32_t> locked_{0};    // 0 or 1
  std::atomic<std::uint32_t> sleepers_{0};  // threads in (or entering) a futex wait on locked_
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
