// Partial deadlock detection: the wait-for graph among goroutines blocked in the slow paths of
// Mutex and RWMutex, checked each time one of them parks (lock_wait.cpp explains the design).
#pragma once

#include <atomic>
#include <cstdint>

#include "goro/sync.hpp"

namespace goro {

// The runtime's view of the lock objects' private fields.
struct sync_access {
  static std::atomic<void*>& owner(Mutex& m) { return m.owner_; }
  static std::atomic<void*>& writer_owner(RWMutex& rw) { return rw.writer_owner_; }
  static bool& readers_unknown(RWMutex& rw) { return rw.readers_unknown_; }
};

}  // namespace goro

namespace goro::sched {
struct G;
}

namespace goro::sync {

// The running goroutine's holder token (sched/g.hpp), as a lock records it. A fresh load of the
// scheduler's thread-local word each call.
inline void* running_holder() { return __atomic_load_n(&__goro_current_g, __ATOMIC_RELAXED); }

// What a goroutine in a lock's slow path waits for, which says who can let it go on.
enum class lock_wait_kind : std::uint8_t {
  none,
  mutex,       // a Mutex: its holder
  rw_lock,     // an RWMutex's writer lock: the writer holding it (or waiting for the readers)
  rw_readers,  // an RWMutex writer: every reader still inside
  rw_rlock,    // an RWMutex reader: the writer holding the lock or waiting for it
};

// Called by the waiting goroutine itself around each park on the lock's semaphore: while it is
// between the two it cannot release any lock it holds, which is what makes a cycle a deadlock.
// `lock` is the Mutex or the RWMutex (nullptr: a lock of the runtime's own, not tracked). No-ops
// with GORODEBUG=partialdeadlock=0.
void lock_wait_begin(const void* lock, lock_wait_kind kind);
void lock_wait_end();

// The semaphore's park callback calls this on the scheduler stack once g, registered by
// lock_wait_begin, is off its stack: looks for a wait-for cycle through g and reports it.
void lock_wait_parked(sched::G* g);

// The RWMutex read locks the running goroutine takes and releases (its record of what it reads).
void read_lock_taken(RWMutex* rw);
void read_lock_released(RWMutex* rw);

}  // namespace goro::sync
