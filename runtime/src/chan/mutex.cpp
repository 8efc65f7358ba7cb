// The slow paths of chan_mutex (see mutex.hpp): spin, yield once, then sleep on the futex.
//
// The figures are Go's (lock_futex.go): 4 rounds of 30 pauses, about 1 µs on current x86, outlast a
// channel's critical section when its holder is running; past that the holder has probably lost its
// CPU and spinning only steals time from it. Spinning is pointless on a single CPU.
#include "chan/mutex.hpp"

#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace goro::channel {
namespace {

constexpr int kSpinRounds = 4;
constexpr int kPausesPerRound = 30;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
  asm volatile("yield" ::: "memory");
#else
  asm volatile("" ::: "memory");
#endif
}

bool multicore() {
  static const bool yes = [] {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0) return CPU_COUNT(&set) > 1;
    return sysconf(_SC_NPROCESSORS_ONLN) > 1;
  }();
  return yes;
}

long futex(std::atomic<std::uint32_t>* addr, int op, std::uint32_t val) {
  return syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(addr), op, val, nullptr, nullptr, 0);
}

}  // namespace

void chan_mutex::lock_slow() noexcept {
  if (multicore()) {
    for (int round = 0; round < kSpinRounds; ++round) {
      for (int i = 0; i < kPausesPerRound; ++i) cpu_relax();
      // relaxed load: only a hint whether the CAS is worth trying; the CAS acquires.
      std::uint32_t s = state_.load(std::memory_order_relaxed);
      if (s == kUnlocked && state_.compare_exchange_weak(s, kLocked, std::memory_order_acquire,
                                                         std::memory_order_relaxed)) {
        return;
      }
    }
  }
  sched_yield();
  // From here on the lock is taken as "contended": we cannot know whether others sleep, so the
  // holder after us wakes one sleeper on unlock (at worst a wasted syscall). acquire, as in lock().
  while (state_.exchange(kContended, std::memory_order_acquire) != kUnlocked) {
    futex(&state_, FUTEX_WAIT_PRIVATE, kContended);
  }
}

void chan_mutex::wake_one() noexcept { futex(&state_, FUTEX_WAKE_PRIVATE, 1); }

}  // namespace goro::channel
