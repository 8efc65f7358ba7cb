// A countdown latch built directly on park/ready: lets scheduler tests wait for goroutines without
// depending on the sync package they are testing underneath.
#pragma once

#include <mutex>
#include <vector>

#include "sched/sched.hpp"

namespace goro_test {

class latch {
 public:
  explicit latch(int count) : count_(count) {}

  void count_down() {
    std::unique_lock l(mu_);
    if (--count_ != 0) return;
    std::vector<goro::sched::G*> waiters;
    waiters.swap(waiters_);
    l.unlock();
    for (goro::sched::G* w : waiters) goro::sched::ready(w);
  }

  void wait() {
    mu_.lock();
    if (count_ == 0) {
      mu_.unlock();
      return;
    }
    waiters_.push_back(goro::sched::current_g());
    goro::sched::park(
        goro::sched::wait_reason::parked,
        [](goro::sched::G*, void* mu) {
          static_cast<std::mutex*>(mu)->unlock();
          return true;
        },
        &mu_);
  }

 private:
  std::mutex mu_;
  int count_;
  std::vector<goro::sched::G*> waiters_;
};

}  // namespace goro_test
