// RWMutex: Go's reader/writer lock with writer preference, on two semaphores and the writers'
// Mutex.
//
// reader_count_ counts readers inside or waiting. A writer first takes the writers' Mutex (so
// writers queue among themselves), then subtracts kMaxReaders from reader_count_: from that moment
// every new reader sees a negative count and parks on reader_sem_, and the value before the
// subtraction is the number of readers still inside. The writer adds that number to reader_wait_
// and parks on writer_sem_ unless they have all left already; each departing reader that sees a
// negative count decrements reader_wait_, and the one that brings it to zero wakes the writer.
// Unlock adds kMaxReaders back, which also yields how many readers queued meanwhile: it wakes
// exactly that many, then releases the writers' Mutex.
#include <atomic>

#include "debug/fatal.hpp"
#include "goro/sync.hpp"
#include "race/hooks.hpp"
#include "sync/lock_wait.hpp"
#include "sync/mutex.hpp"
#include "sync/sema.hpp"

namespace goro {
namespace {

// More readers than this at once are not supported (as in Go).
constexpr std::int32_t kMaxReaders = 1 << 30;

}  // namespace

void RWMutex::lock_shared() {
  // acquire: pairs with the release in unlock(), when the writer before us has already left.
  if (reader_count_.fetch_add(1, std::memory_order_acquire) + 1 < 0) {
    // A writer holds or waits for the lock: wait until its unlock wakes us.
    sync::lock_wait_begin(this, sync::lock_wait_kind::rw_rlock);
    sync::semacquire(&reader_sem_, false, sched::wait_reason::rwmutex_rlock);
    sync::lock_wait_end();
  }
  sync::read_lock_taken(this);
  race::acquire(&reader_sem_);
  race::lock_acquired(this, false, false,
                      reinterpret_cast<std::uintptr_t>(__builtin_return_address(0)));
}

bool RWMutex::try_lock_shared() noexcept {
  // relaxed: a first guess; the CAS re-checks it and acquires on success.
  std::int32_t c = reader_count_.load(std::memory_order_relaxed);
  while (c >= 0) {
    // acquire on success, as in lock_shared; relaxed on failure: c is only a new guess.
    if (reader_count_.compare_exchange_weak(c, c + 1, std::memory_order_acquire,
                                            std::memory_order_relaxed)) {
      sync::read_lock_taken(this);
      race::acquire(&reader_sem_);
      race::lock_acquired(this, false, true,
                          reinterpret_cast<std::uintptr_t>(__builtin_return_address(0)));
      return true;
    }
  }
  return false;
}

void RWMutex::unlock_shared() {
  sync::read_lock_released(this);
  race::lock_released(this);
  // Merge, not store: the writer must come after every reader, not only the last one.
  race::release_merge(&writer_sem_);
  // release: our reads happen-before a writer that waits for us (it acquires this count).
  const std::int32_t r = reader_count_.fetch_sub(1, std::memory_order_release) - 1;
  if (r >= 0) return;
  if (r + 1 == 0 || r + 1 == -kMaxReaders) debug::fatal("sync: RUnlock of unlocked RWMutex");
  // A writer is waiting for the readers that were inside; we are one of them.
  // acq_rel: release our reads to the writer; acquire the other departing readers' releases, for
  // the last one passes them all on through the semaphore.
  if (reader_wait_.fetch_sub(1, std::memory_order_acq_rel) - 1 == 0) {
    sync::semrelease(&writer_sem_, false);
  }
}

void RWMutex::lock() {
  sync::mutex_lock(writer_state_, &writer_lock_sema_, sched::wait_reason::rwmutex_lock,
                   {this, sync::lock_wait_kind::rw_lock});
  // relaxed: published to waiting readers by the acq_rel add below (see Mutex::owner_).
  writer_owner_.store(sync::running_holder(), std::memory_order_relaxed);
  // Announce the writer; the count before is the number of readers still inside. acq_rel: acquire
  // the releases of readers that already left; the release half is needed by nobody but comes
  // with the read-modify-write.
  const std::int32_t r = reader_count_.fetch_add(-kMaxReaders, std::memory_order_acq_rel);
  // acq_rel: acquire the departed readers' decrements (see unlock_shared).
  if (r != 0 && reader_wait_.fetch_add(r, std::memory_order_acq_rel) + r != 0) {
    sync::lock_wait_begin(this, sync::lock_wait_kind::rw_readers);
    sync::semacquire(&writer_sem_, false, sched::wait_reason::rwmutex_lock);
    sync::lock_wait_end();
  }
  race::acquire(&reader_sem_);
  race::acquire(&writer_sem_);
  race::lock_acquired(this, true, false,
                      reinterpret_cast<std::uintptr_t>(__builtin_return_address(0)));
}

bool RWMutex::try_lock() noexcept {
  if (!sync::mutex_try_lock(writer_state_)) return false;
  std::int32_t no_readers = 0;
  // acquire on success: as lock(), the last readers' releases.
  if (!reader_count_.compare_exchange_strong(no_readers, -kMaxReaders, std::memory_order_acquire,
                                             std::memory_order_relaxed)) {
    sync::mutex_unlock(writer_state_, &writer_lock_sema_);
    return false;
  }
  writer_owner_.store(sync::running_holder(), std::memory_order_relaxed);  // relaxed: as in lock()
  race::acquire(&reader_sem_);
  race::acquire(&writer_sem_);
  race::lock_acquired(this, true, true,
                      reinterpret_cast<std::uintptr_t>(__builtin_return_address(0)));
  return true;
}

void RWMutex::unlock() {
  race::lock_released(this);
  race::release(&reader_sem_);
  // relaxed: published by the release add below (see Mutex::owner_).
  writer_owner_.store(nullptr, std::memory_order_relaxed);
  // release: the writer's critical section happens-before readers that enter after this add.
  const std::int32_t r =
      reader_count_.fetch_add(kMaxReaders, std::memory_order_release) + kMaxReaders;
  if (r >= kMaxReaders) debug::fatal("sync: Unlock of unlocked RWMutex");
  // Wake the readers that queued behind us (one bucket lock for all); later ones see a
  // non-negative count and go straight in.
  sync::semrelease_n(&reader_sem_, static_cast<std::uint32_t>(r));
  sync::mutex_unlock(writer_state_, &writer_lock_sema_);
}

}  // namespace goro
