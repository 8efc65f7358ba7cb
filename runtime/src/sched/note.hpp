// note: a one-shot sleep/wake-up for parking an M (Go's note). futex-based: wake() before sleep()
// makes sleep() return at once, so a wake-up can never be lost. clear() re-arms it; only the
// sleeper clears.
#pragma once

#include <atomic>
#include <cstdint>

namespace goro::sched {

class note {
 public:
  // relaxed: only the sleeper clears, after sleep() returned and before it lists itself idle
  // again under sched.lock; the next waker finds it through that lock, so its wake() comes later.
  void clear() { state_.store(0, std::memory_order_relaxed); }
  void wake();
  void sleep();
  // Returns true if woken, false if the timeout (nanoseconds, > 0) passed first.
  bool sleep_for(std::int64_t ns);

 private:
  std::atomic<std::uint32_t> state_{0};  // 0 = armed, 1 = woken
};

}  // namespace goro::sched
