// futex-backed note; see note.hpp.
#include "sched/note.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>

namespace goro::sched {
namespace {

long futex(std::atomic<std::uint32_t>* addr, int op, std::uint32_t val, const timespec* ts) {
  return syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(addr), op, val, ts, nullptr, 0);
}

}  // namespace

void note::wake() {
  // release: what the waker wrote before waking (e.g. the P it hands over) is visible to the
  // sleeper.
  if (state_.exchange(1, std::memory_order_release) == 0) {
    futex(&state_, FUTEX_WAKE_PRIVATE, 1, nullptr);
  }
}

// acquire (sleep and sleep_for): pairs with wake()'s release.
void note::sleep() {
  while (state_.load(std::memory_order_acquire) == 0) {
    futex(&state_, FUTEX_WAIT_PRIVATE, 0, nullptr);
  }
}

bool note::sleep_for(std::int64_t ns) {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  std::int64_t deadline = now.tv_sec * 1'000'000'000LL + now.tv_nsec + ns;
  while (state_.load(std::memory_order_acquire) == 0) {
    clock_gettime(CLOCK_MONOTONIC, &now);
    std::int64_t left = deadline - (now.tv_sec * 1'000'000'000LL + now.tv_nsec);
    if (left <= 0) return false;
    timespec ts{static_cast<time_t>(left / 1'000'000'000LL),
                static_cast<long>(left % 1'000'000'000LL)};
    futex(&state_, FUTEX_WAIT_PRIVATE, 0, &ts);
  }
  return true;
}

}  // namespace goro::sched
