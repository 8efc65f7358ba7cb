// chan_mutex: the lock of one channel. Critical sections are a few dozen instructions (queue
// pointers, ring indices, one element move), so the lock spins briefly before it sleeps the thread
// on a futex — the shape of Go's lock_futex, which chan.go uses for the same job.
//
// It is not a goroutine mutex: a holder never parks with it held (park's unlock callback releases
// it once the goroutine is off its stack), so waiting for it costs at most a short critical
// section. Unlike std::mutex it may be released by another thread than the one that took it (park's
// callback runs on the scheduler stack of whichever M switched the goroutine out, which is the same
// thread today, but nothing here relies on that).
#pragma once

#include <atomic>
#include <cstdint>

namespace goro::channel {

class chan_mutex {
 public:
  void lock() noexcept {
    std::uint32_t expected = kUnlocked;
    // acquire: the critical section must see everything the previous holder wrote before its
    // release in unlock().
    if (state_.compare_exchange_strong(expected, kLocked, std::memory_order_acquire,
                                       std::memory_order_relaxed)) {
      return;
    }
    lock_slow();
  }

  void unlock() noexcept {
    // release: publishes the critical section to the next holder. The lock word is the last thing
    // unlock touches before the wake-up syscall, so a waiter may free the channel right after.
    if (state_.exchange(kUnlocked, std::memory_order_release) == kContended) wake_one();
  }

 private:
  static constexpr std::uint32_t kUnlocked = 0;
  static constexpr std::uint32_t kLocked = 1;
  static constexpr std::uint32_t kContended = 2;  // held, and someone may sleep on the futex

  void lock_slow() noexcept;
  void wake_one() noexcept;

  std::atomic<std::uint32_t> state_{kUnlocked};
};

}  // namespace goro::channel
