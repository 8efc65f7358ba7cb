// A P's local run queue: a fixed 256-slot ring that only the owning P pushes to, while any P may
// take from its head (the owner popping, thieves stealing half). Plus `runnext`, a single slot for
// the G made ready most recently by this P: it runs next, so a sender and the receiver it wakes
// take turns on one P instead of bouncing between threads.
//
// Memory ordering. `tail` is written only by the owner; it publishes slot contents with a release
// store and consumers read it with acquire. `head` is advanced by CAS (acq_rel) by anyone taking
// items; a consumer reads the slots it wants first and then claims them with the CAS, so a slot is
// never overwritten before its reader has claimed it: the owner only writes slots behind head+size,
// and head is read with acquire before the owner computes the free space. Slots are atomics
// (relaxed) because a thief may read a slot the owner is concurrently overwriting; the thief's CAS
// then fails and the stale value is discarded.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace goro::sched {

struct G;

class run_queue {
 public:
  static constexpr std::uint32_t kSize = 256;

  // Owner only. Returns false when full (the caller then moves half to the global queue).
  bool push_back(G* g);
  // Owner only: takes from the head. nullptr when empty.
  G* pop_front();
  // Owner only, when full: claims the older half plus nothing else, writes them into out.
  // Returns how many were taken (kSize/2), or 0 if a thief raced and the queue is no longer full.
  std::uint32_t take_half_for_overflow(G** out);
  // Any thread: moves about half of this queue into `to` (which must be empty and owned by the
  // caller). Returns how many were moved.
  std::uint32_t steal_half_into(run_queue& to);

  // empty() and size(): head is loaded first, with acquire so the tail load stays after it, and
  // the taker's CAS that set head had read a tail at least that far: so tail - head never wraps.
  // tail's acquire pairs with push_back's release (no slot is read here, so it is only a check).
  bool empty() const {
    std::uint32_t h = head_.load(std::memory_order_acquire);
    std::uint32_t t = tail_.load(std::memory_order_acquire);
    return t == h;
  }
  std::uint32_t size() const {
    std::uint32_t h = head_.load(std::memory_order_acquire);
    std::uint32_t t = tail_.load(std::memory_order_acquire);
    return t - h;
  }

  // Owner only: how many goroutines were ever pushed (wraps). A changed count means something new
  // may be queued (seeded.cpp). relaxed: the owner reads its own writes.
  std::uint32_t pushes() const { return tail_.load(std::memory_order_relaxed); }

  std::atomic<G*> runnext{nullptr};

 private:
  std::atomic<std::uint32_t> head_{0};
  std::atomic<std::uint32_t> tail_{0};
  std::array<std::atomic<G*>, kSize> slots_{};
};

}  // namespace goro::sched
