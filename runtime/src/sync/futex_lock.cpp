// futex_lock; see futex_lock.hpp. Go's lock_futex.go does the same dance: try, spin, then sleep
// with the word marked contended so that the unlocker knows it has to make the wake-up system call.
#include "sync/futex_lock.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sync/spin.hpp"

namespace goro::sync {
namespace {

constexpr std::uint32_t kUnlocked = 0;
constexpr std::uint32_t kLocked = 1;
constexpr std::uint32_t kContended = 2;  // locked, and a waiter may be asleep in the kernel

// Spinning before sleeping: the holder keeps the lock for well under a microsecond, while a futex
// sleep and wake-up cost several.
constexpr int kSpinRounds = 4;
constexpr int kPausesPerRound = 30;

void futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAIT_PRIVATE, expected, nullptr,
          nullptr, 0);
}

void futex_wake_one(std::atomic<std::uint32_t>& word) {
  syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE_PRIVATE, 1, nullptr,
          nullptr, 0);
}

}  // namespace

void futex_lock_acquire(std::atomic<std::uint32_t>& word) {
  // acquire on success: what the previous holder wrote under the lock is visible to us. relaxed on
  // failure: we learnt only that the lock is taken.
  std::uint32_t v = kUnlocked;
  if (word.compare_exchange_strong(v, kLocked, std::memory_order_acquire,
                                   std::memory_order_relaxed)) {
    return;
  }
  if (online_cpus() > 1) {
    for (int round = 0; round < kSpinRounds; ++round) {
      for (int i = 0; i < kPausesPerRound; ++i) cpu_relax();
      v = word.load(
          std::memory_order_relaxed);  // test before test-and-set: no cache-line ping-pong
      if (v == kUnlocked && word.compare_exchange_strong(v, kLocked, std::memory_order_acquire,
                                                         std::memory_order_relaxed)) {
        return;
      }
    }
  }
  // Sleep. Taking the lock as "contended" (not "locked") is conservative: we cannot know whether
  // others still sleep, so our own unlock will make one (possibly useless) wake-up call.
  // acquire: as above, for the exchange that finds the lock free.
  while (word.exchange(kContended, std::memory_order_acquire) != kUnlocked) {
    futex_wait(word, kContended);
  }
}

void futex_lock_release(std::atomic<std::uint32_t>& word) {
  // release: publishes the critical section to the next holder.
  if (word.exchange(kUnlocked, std::memory_order_release) == kContended) futex_wake_one(word);
}

}  // namespace goro::sync
