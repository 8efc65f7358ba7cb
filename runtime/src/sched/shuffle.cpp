// The race build's schedule shaking (see shuffle.hpp for what and why).
#include "sched/shuffle.hpp"

#include <utility>

#include "sched/proc.hpp"

namespace goro::sched {

void shuffle_batch(M* m, G** gs, std::uint32_t n) {
  if constexpr (!kShuffleSchedule) return;
  if (m == nullptr) return;
  // Fisher-Yates, each position drawing from those not yet placed.
  for (std::uint32_t i = n; i > 1; --i) {
    const auto j = static_cast<std::uint32_t>(fast_rand(m) % i);
    std::swap(gs[i - 1], gs[j]);
  }
}

void shuffle_point_race() {
  M* m = current_m();
  // Only a goroutine on its own stack may yield: not the scheduler, not blocking()'s system stack.
  // relaxed: this M's own curg (see M::curg).
  if (m == nullptr || m->curg.load(std::memory_order_relaxed) == nullptr || m->on_system_stack)
    return;
  // A yield with nothing else runnable here hands the P straight back: skip the coin then.
  // relaxed: a hint for a coin toss; nothing is reached through runnext here.
  P* p = m->p;
  if (p == nullptr ||
      (p->runq.empty() && p->runq.runnext.load(std::memory_order_relaxed) == nullptr)) {
    return;
  }
  if (shuffle_one_in(m, kShuffleYieldOneIn)) yield_current();
}

}  // namespace goro::sched
