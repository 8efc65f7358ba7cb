// The global run queue: runnable goroutines that belong to no P (readied by threads without a P,
// preempted, overflowing a local ring, left by a retired P). A FIFO under sched.lock, with a copy
// of its length that Ms read without the lock to decide whether taking the lock is worth it.
#pragma once

#include <atomic>
#include <cstdint>

#include "sched/g.hpp"

namespace goro::sched {

class global_run_queue {
 public:
  // Changes and the exact size: sched.lock held. Each change republishes the length.
  void push_back(G* g);
  void push_back_batch(G* first, G* last, std::int64_t n);
  G* pop_front();
  std::int64_t size() const { return list_.size; }

  // The length as of the last change, without the lock. A hint: whoever acts on it takes the lock
  // and looks again. The stores are relaxed because no G's fields are published through this count
  // (sched.lock publishes them); the one reader that must not miss a push, an M giving up its P,
  // loads it seq_cst after its own seq_cst step, and a pusher without a P issues a full fence
  // before it looks for idle Ps (wake_p): one of the two sees the other.
  std::int64_t approx_size(std::memory_order order = std::memory_order_relaxed) const {
    return published_size_.load(order);
  }

 private:
  void publish_size() { published_size_.store(list_.size, std::memory_order_relaxed); }

  g_queue list_;
  std::atomic<std::int64_t> published_size_{0};
};

}  // namespace goro::sched
