// Cond: goro::Cond on top of the notify list. The happens-before edges are the lock's (as in Go:
// wait() re-locks before it returns), so Cond itself adds none.
#include "debug/fatal.hpp"
#include "goro/sync.hpp"
#include "sched/sched.hpp"
#include "sync/notify_list.hpp"

namespace goro {

void Cond::wait() {
  // Check before unlocking: failing later would leave the caller's lock released.
  if (sched::current_g() == nullptr) debug::fatal("goroutine operation outside goro::run");
  const std::uint32_t ticket = sync::notify_list_add(notify_);
  if (mutex_ != nullptr) {
    mutex_->unlock();
    sync::notify_list_wait(notify_, ticket);
    mutex_->lock();
  } else {
    rwmutex_->unlock();
    sync::notify_list_wait(notify_, ticket);
    rwmutex_->lock();
  }
}

void Cond::signal() { sync::notify_list_notify_one(notify_); }

void Cond::broadcast() { sync::notify_list_notify_all(notify_); }

}  // namespace goro
