// runtime_lock's slow path; see runtime_lock.hpp.
//
// The figures are Go's (lock_futex.go): 4 rounds of 30 pauses, about 1 us on current x86, outlast a
// critical section whose holder is running; past that the holder has probably lost its CPU and
// spinning only steals time from it. Spinning is pointless on a single CPU. std::mutex was measured
// against this lock for channels: equal at GOMAXPROCS=1, slower at 2 (buffered 947 vs 680 ms,
// select 469 vs 324 ms), because it sleeps sooner.
#include "sched/runtime_lock.hpp"

#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <ctime>

namespace goro::sched {
namespace {

constexpr int kSpinRounds = 4;
constexpr int kPausesPerRound = 30;
constexpr std::uint32_t kUnlocked = 0;
constexpr std::uint32_t kLocked = 1;
constexpr std::uint32_t kContended = 2;

// A sleeper of runtime_lock wakes after this long at most (see runtime_lock.hpp): 1 ms, about
// what a lost wake-up could cost before and rare enough here not to matter.
constexpr long kSleeperTimeoutNs = 1'000'000;

long futex(std::atomic<std::uint32_t>& word, int op, std::uint32_t val,
           const timespec* timeout = nullptr) {
  return syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), op, val, timeout, nullptr, 0);
}

int count_online_cpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
  long c = sysconf(_SC_NPROCESSORS_ONLN);
  return c > 0 ? static_cast<int>(c) : 1;
}

}  // namespace

int online_cpus() {
  // Asked once; not a function-local static (race/built_once.hpp says why). Callers that race to
  // ask first all find the same count. relaxed (both): the value is the whole message.
  static constinit std::atomic<int> asked{0};
  int n = asked.load(std::memory_order_relaxed);
  if (n == 0) {
    n = count_online_cpus();
    asked.store(n, std::memory_order_relaxed);
  }
  return n;
}

namespace {

// The brief spin both locks start with, then one yield: true if it took the lock (0 -> 1).
bool spin_for(std::atomic<std::uint32_t>& word) noexcept {
  if (online_cpus() > 1) {
    for (int round = 0; round < kSpinRounds; ++round) {
      for (int i = 0; i < kPausesPerRound; ++i) cpu_relax();
      // relaxed load first (test before test-and-set: no cache-line ping-pong); the CAS acquires,
      // and its failure is relaxed: the next round loads again.
      std::uint32_t s = word.load(std::memory_order_relaxed);
      if (s == kUnlocked && word.compare_exchange_weak(s, kLocked, std::memory_order_acquire,
                                                       std::memory_order_relaxed)) {
        return true;
      }
    }
  }
  sched_yield();
  return false;
}

}  // namespace

void lock_word_slow(std::atomic<std::uint32_t>& word) noexcept {
  if (spin_for(word)) return;
  // From here on the lock is taken as "contended": we cannot know whether others sleep, so the
  // holder after us wakes one sleeper on unlock (at worst a wasted system call). acquire, as above.
  while (word.exchange(kContended, std::memory_order_acquire) != kUnlocked) {
    futex(word, FUTEX_WAIT_PRIVATE, kContended);
  }
}

void wake_word(std::atomic<std::uint32_t>& word) noexcept { futex(word, FUTEX_WAKE_PRIVATE, 1); }

void runtime_lock::lock_slow() noexcept {
  if (spin_for(locked_)) return;
  // A sleeper registers before its last look at the lock, so an unlocker that reads the count
  // after that registration wakes it; one that read it just before (header comment) leaves it to
  // the timeout. seq_cst: the increment is ordered before the CAS that follows.
  const timespec timeout{0, kSleeperTimeoutNs};
  for (;;) {
    sleepers_.fetch_add(1, std::memory_order_seq_cst);
    std::uint32_t expected = 0;
    const bool got = locked_.compare_exchange_strong(expected, kLocked, std::memory_order_acquire,
                                                     std::memory_order_relaxed);
    if (!got) futex(locked_, FUTEX_WAIT_PRIVATE, kLocked, &timeout);
    sleepers_.fetch_sub(1, std::memory_order_relaxed);  // relaxed: a count, read as a hint
    if (got) return;
  }
}

}  // namespace goro::sched
