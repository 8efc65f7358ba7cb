// The lock-free local run queue; see run_queue.hpp for the ordering argument.
#include "sched/run_queue.hpp"

#include "race/hooks.hpp"
#include "sched/g.hpp"

namespace goro::sched {

bool run_queue::push_back(G* g) {
  // acquire: pairs with the takers' CAS on head (release): their reads of the slots they claimed
  // happen before we overwrite those slots.
  std::uint32_t h = head_.load(std::memory_order_acquire);
  std::uint32_t t = tail_.load(std::memory_order_relaxed);  // only we write tail
  if (t - h >= kSize) return false;
  slots_[t % kSize].store(g, std::memory_order_relaxed);  // relaxed: published by the tail store
  tail_.store(t + 1, std::memory_order_release);          // publishes the slot
  return true;
}

// pop_front and take_half_for_overflow (owner only): tail relaxed, the owner wrote it. head
// acquire, as in push_back. Slots relaxed: the owner wrote them, and the CAS on head decides
// whether the read is ours (a thief that claimed the slot first makes it fail). The CAS is
// acq_rel: release orders our slot reads before the new head, for the owner's push_back; its
// acquire pairs with the thieves' CAS. On failure pop_front retries with the head it read
// (acquire, as at the top); take_half_for_overflow gives up, so relaxed.
G* run_queue::pop_front() {
  std::uint32_t h = head_.load(std::memory_order_acquire);
  for (;;) {
    std::uint32_t t = tail_.load(std::memory_order_relaxed);
    if (t == h) return nullptr;
    G* g = slots_[h % kSize].load(std::memory_order_relaxed);
    if (head_.compare_exchange_weak(h, h + 1, std::memory_order_acq_rel,
                                    std::memory_order_acquire)) {
      // relaxed (below): hints; the next slots may be stale or stolen, and a prefetch never faults.
      if (GORO_RACE && t - h > 3) {
        // The race build's goroutine start also reads the detector's state of the goroutine, a
        // chain of cold lines (its context, then the record and clock snapshot that names) when
        // it waited behind many others: fetched a stage per pop, each stage loading only what the
        // one before fetched. This pop fetches the G three ahead; warm_queued follows the G two
        // ahead to its context and the context one ahead to what it names.
        prefetch_g(slots_[(h + 3) % kSize].load(std::memory_order_relaxed));
        race::warm_queued(slots_[(h + 1) % kSize].load(std::memory_order_relaxed),
                          slots_[(h + 2) % kSize].load(std::memory_order_relaxed));
      } else if (h + 1 != t) {
        prefetch_g(slots_[(h + 1) % kSize].load(std::memory_order_relaxed));
      }
      return g;
    }
  }
}

std::uint32_t run_queue::take_half_for_overflow(G** out) {
  std::uint32_t h = head_.load(std::memory_order_acquire);
  std::uint32_t t = tail_.load(std::memory_order_relaxed);
  std::uint32_t n = (t - h) / 2;
  if (n != kSize / 2) return 0;
  for (std::uint32_t i = 0; i < n; ++i)
    out[i] = slots_[(h + i) % kSize].load(std::memory_order_relaxed);
  if (!head_.compare_exchange_strong(h, h + n, std::memory_order_acq_rel,
                                     std::memory_order_relaxed)) {
    return 0;
  }
  return n;
}

std::uint32_t run_queue::steal_half_into(run_queue& to) {
  std::uint32_t dst_tail = to.tail_.load(std::memory_order_relaxed);  // relaxed: we own `to`
  for (;;) {
    // head acquire: keeps the tail load after it (see empty()); tail acquire: pairs with the
    // owner's release in push_back, so the slots in [h, t) hold what it published.
    std::uint32_t h = head_.load(std::memory_order_acquire);
    std::uint32_t t = tail_.load(std::memory_order_acquire);
    std::uint32_t n = t - h;
    n = n - n / 2;
    if (n == 0) return 0;
    if (n > kSize / 2) continue;  // inconsistent snapshot (head moved under us): retry
    // relaxed: a stale slot (overwritten by the owner meanwhile) makes the CAS below fail; the
    // copies are published by to's tail store.
    for (std::uint32_t i = 0; i < n; ++i) {
      G* g = slots_[(h + i) % kSize].load(std::memory_order_relaxed);
      to.slots_[(dst_tail + i) % kSize].store(g, std::memory_order_relaxed);
    }
    // acq_rel: release orders the slot reads above before the new head (for the owner's
    // push_back); failure relaxed: we start over with fresh loads.
    if (head_.compare_exchange_strong(h, h + n, std::memory_order_acq_rel,
                                      std::memory_order_relaxed)) {
      to.tail_.store(dst_tail + n, std::memory_order_release);  // release: publishes the copies
      return n;
    }
  }
}

}  // namespace goro::sched
