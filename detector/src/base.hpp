// The detector's internal basics: the slot and epoch limits every part agrees on, the two locks the
// detector uses (it must not use pthread mutexes, which it interposes, nor malloc, which it also
// interposes), and its own allocator for metadata.
#pragma once

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdint>

#define GORO_LIKELY(x) __builtin_expect(!!(x), 1)
#define GORO_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define GORO_TLS __attribute__((tls_model("initial-exec"))) thread_local
// The return address of the function that uses it: in a hook, the instrumented code's pc. Each hook
// takes its own (a helper's would be the hook's, not the caller's).
#define GORO_PC reinterpret_cast<std::uintptr_t>(__builtin_return_address(0))

namespace goro::race {

// Clock slots: a vector clock has one entry per slot, a shadow cell names its slot in 8 bits.
constexpr int kSlots = 256;
// Epochs per slot and generation (14 bits of a shadow cell); 0 means "never".
constexpr std::uint32_t kEpochBits = 14;
constexpr std::uint16_t kMaxEpoch = (1u << kEpochBits) - 1;

using epoch_t = std::uint16_t;

// A short-section lock for data touched by a few instructions (a slot, a sync object): spins, then
// yields the CPU. Never held across a call that may block or allocate from the system.
class spin_lock {
 public:
  void lock() noexcept {
    // acquire: the holder's writes to the guarded data become visible to us.
    if (GORO_UNLIKELY(held_.exchange(true, std::memory_order_acquire))) lock_contended();
  }
  bool try_lock() noexcept {
    // acquire: as lock(). The relaxed load is a cheap pre-check only.
    return !held_.load(std::memory_order_relaxed) &&
           !held_.exchange(true, std::memory_order_acquire);
  }
  void unlock() noexcept {
    // release: publishes the guarded data to the next holder.
    held_.store(false, std::memory_order_release);
  }

 private:
  // Out of line: inlined, the wait loop made every lock's caller save and restore registers for
  // it, which doubled the cost of the small sections around a goroutine switch.
  __attribute__((noinline)) void lock_contended() noexcept {
    do {
      int spins = 0;
      // relaxed: only a hint for when to retry the exchange.
      while (held_.load(std::memory_order_relaxed)) {
        if (++spins > 64) {
          syscall(SYS_sched_yield);
          spins = 0;
        } else {
          __builtin_ia32_pause();
        }
      }
      // acquire: as lock().
    } while (held_.exchange(true, std::memory_order_acquire));
  }
  std::atomic<bool> held_{false};
};

// A sleeping lock for longer sections (the slot table, the records, the report writer, the stack
// depot): a three-state futex mutex (0 free, 1 held, 2 held with waiters), so a preempted holder
// costs the waiters no CPU. A waiter first spins, trying the lock whenever it is free, for kSpins
// pauses (one to several microseconds, by CPU): the sections are a few cache misses long, and
// sleeping at the first conflict cost each meeting two system calls and a wake-up, many times the
// section (spawn at GOMAXPROCS=2 spent a fifth of its time there when the records lock was taken at
// every goroutine's start and end).
class futex_lock {
 public:
  void lock() noexcept {
    int expected = 0;
    // acquire on success: see spin_lock. relaxed on failure: `expected` only picks the path.
    if (!state_.compare_exchange_strong(expected, 1, std::memory_order_acquire,
                                        std::memory_order_relaxed)) {
      lock_contended();
    }
  }
  void unlock() noexcept {
    // release: publishes the guarded data.
    if (state_.exchange(0, std::memory_order_release) == 2) {
      syscall(SYS_futex, reinterpret_cast<int*>(&state_), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr,
              0);
    }
  }

 private:
  static constexpr int kSpins = 200;  // a pause is 10 to 140 cycles, by microarchitecture

  // Out of line, for the reason spin_lock's is.
  __attribute__((noinline)) void lock_contended() noexcept {
    for (int i = 0; i < kSpins; ++i) {
      __builtin_ia32_pause();
      // relaxed: a hint for when to try; the CAS is what acquires.
      int expected = state_.load(std::memory_order_relaxed);
      if (expected == 0 && state_.compare_exchange_weak(expected, 1, std::memory_order_acquire,
                                                        std::memory_order_relaxed)) {
        return;
      }
      if (expected == 2) break;  // others sleep already: queue behind them
    }
    // acquire: whoever set 0 released the guarded data.
    while (state_.exchange(2, std::memory_order_acquire) != 0) {
      syscall(SYS_futex, reinterpret_cast<int*>(&state_), FUTEX_WAIT_PRIVATE, 2, nullptr, nullptr,
              0);
    }
  }
  std::atomic<int> state_{0};
};

template <class L>
class lock_guard {
 public:
  explicit lock_guard(L& l) noexcept : l_(l) { l_.lock(); }
  ~lock_guard() { l_.unlock(); }
  lock_guard(const lock_guard&) = delete;
  lock_guard& operator=(const lock_guard&) = delete;

 private:
  L& l_;
};

// ---- Metadata allocator (internal_alloc.cpp) ----
// Power-of-two size classes from 16 bytes to 64 KiB carved from mmap'ed chunks, larger blocks
// mapped one by one. Never calls malloc (the detector interposes it) and never returns memory of
// the small classes to the system, so a stale pointer read under a race stays readable.
void* internal_alloc(std::size_t bytes);
void internal_free(void* p, std::size_t bytes);
// Zeroed memory.
void* internal_calloc(std::size_t bytes);
// A block its caller writes whole at once or soon (a history ring that grows): one past the size
// classes, which is mapped fresh, is populated in one system call rather than faulted in page by
// page (see stack/prefault.hpp for what a fault costs where).
void* internal_alloc_populated(std::size_t bytes);
// Bytes currently handed out (for tests).
std::size_t internal_bytes_in_use();
// `bytes` of zeroed address space for detector metadata, committed only as it is touched
// (MAP_NORESERVE); dies if the system refuses. Never unmapped unless the caller does.
void* map_metadata(std::size_t bytes);
// The calling thread is ending: its cached free blocks go back to the shared lists, and its later
// allocations and frees (its last destructors') go straight to them.
void internal_thread_exit();

// Writes all of s to fd (retrying on EINTR and short writes).
void write_all(int fd, const char* s, std::size_t n);
// Prints "goro: race detector: <msg>" to stderr and exits with status 2.
[[noreturn]] void die(const char* msg);

}  // namespace goro::race
