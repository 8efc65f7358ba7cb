// Cond: goro::Cond on top of the notify list. Go's sync.Cond documents that a Signal or Broadcast
// synchronizes before the Wait it unblocks, beyond the lock's own edges: a signaller that wrote
// without holding the lock has its writes ordered before the woken waiter's return. For the race
// detector each signal and broadcast merges its clock into the Cond (merge: several signallers
// accumulate), and a woken wait acquires it. A waiter may so acquire a later signal's past too
// (woken by one, returning after another merged): an edge Go does not promise, which can hide a
// race but never invent one.
#include "debug/fatal.hpp"
#include "goro/sync.hpp"
#include "race/hooks.hpp"
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
    race::acquire(&notify_);
    mutex_->lock();
  } else {
    rwmutex_->unlock();
    sync::notify_list_wait(notify_, ticket);
    race::acquire(&notify_);
    rwmutex_->lock();
  }
}

void Cond::signal() {
  race::release_merge(&notify_);
  sync::notify_list_notify_one(notify_);
}

void Cond::broadcast() {
  race::release_merge(&notify_);
  sync::notify_list_notify_all(notify_);
}

}  // namespace goro
