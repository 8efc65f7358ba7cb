// A countdown latch built directly on park/ready: lets scheduler tests wait for goroutines without
// depending on the sync package they are testing underneath. Guarded by the runtime's own lock, as
// runtime code that parks is: park's unlock callback releases it on the scheduler stack, which a
// pthread mutex does not allow (ThreadSanitizer builds see another fiber unlocking it).
#pragma once

#include <mutex>
#include <vector>

#include "sched/runtime_lock.hpp"
#include "sched/sched.hpp"

namespace goro_test {

class latch {
 public:
  explicit latch(int count) : count_(count) {}

  void count_down() {
    std::unique_lock<goro::sched::runtime_lock> l(mu_);
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
          static_cast<goro::sched::runtime_lock*>(mu)->unlock();
          return true;
        },
        &mu_);
  }

 private:
  goro::sched::runtime_lock mu_;
  int count_;
  std::vector<goro::sched::G*> waiters_;
};

}  // namespace goro_test
