// POSIX thread primitives as happens-before edges, so that std::thread, std::mutex,
// std::shared_mutex, std::condition_variable and std::call_once (which are these underneath) order
// accesses as they do, in programs that mix goroutines with plain threads or use no goroutines at
// all.
//
// The program's calls reach these definitions because the executable defines the symbols
// (libstdc++'s calls from its shared library bind to them too); each performs the real call, found
// with dlsym(RTLD_NEXT), and tells the detector:
//   mutex, spin lock     lock/trylock success acquires; unlock release-stores
//   rwlock               like goro::RWMutex: a write unlock release-stores to the lock, a read
//   unlock
//                        merges into a second address; a read lock acquires the first, a write lock
//                        both
//   condition variable   wait releases its mutex before sleeping and acquires it after (the edge
//                        comes through the mutex, as with TSan)
//   lock order           mutexes, spin locks and rwlocks are tracked as lock_order.hpp says: a
//                        blocking lock makes edges from the locks held, a try/timed lock does not;
//                        destroy drops the lock's node. A condition wait keeps its mutex in the
//                        held-lock list (it is held again when the wait returns)
//   semaphore            post merges; a successful wait acquires
//   create/join          the creator's past happens before the thread starts; the thread's end
//                        happens before join (also tryjoin/timedjoin) returns
//   barrier              every thread's past before the wait happens before every return
//   once                 the init routine happens before every pthread_once returns
//   function-local       __cxa_guard_release releases the guard; a __cxa_guard_acquire that finds
//   statics              the static initialised acquires it (the inline check is an acquire load
//                        of the guard, which instrumented code reports as one)
//
// pthread objects are memory too, as ThreadSanitizer models them: pthread_{mutex,rwlock,spin,cond,
// barrier}_init and _destroy write the object's first byte, and every use of it (lock, unlock,
// wait, signal) reads that byte, checked as the program's accesses at the call site
// (libc_call.hpp). An init or destroy racing with a use, or a plain write over an object in use,
// is reported as a race on the object. Only where the program calls these functions: a
// PTHREAD_MUTEX_INITIALIZER object is never written by an init, and std::mutex is one.
//
// The runtime's own locks must not create edges (a goroutine taking the scheduler lock would appear
// to synchronise with every other), so the runtime sources of libgoro_race.a are compiled with each
// of these names defined to __goro_rt_<name> (detector/CMakeLists.txt), which go straight to libc.
#include <pthread.h>
#include <semaphore.h>
#include <time.h>

#include <atomic>
#include <cstdint>

#include "debug/traceback.hpp"
#include "interpose.hpp"
#include "libc_call.hpp"
#include "lock_order.hpp"
#include "sched/user_locks.hpp"
#include "shadow.hpp"
#include "stack_depot.hpp"
#include "sync_table.hpp"

extern "C" {
int __cxa_guard_acquire(std::int64_t* guard);
void __cxa_guard_release(std::int64_t* guard);
}

namespace goro::race {
namespace {

GORO_REAL(pthread_mutex_lock)
GORO_REAL(pthread_mutex_trylock)
GORO_REAL(pthread_mutex_timedlock)
GORO_REAL(pthread_mutex_clocklock)
GORO_REAL(pthread_mutex_unlock)
GORO_REAL(pthread_spin_lock)
GORO_REAL(pthread_spin_trylock)
GORO_REAL(pthread_spin_unlock)
GORO_REAL(pthread_rwlock_rdlock)
GORO_REAL(pthread_rwlock_tryrdlock)
GORO_REAL(pthread_rwlock_timedrdlock)
GORO_REAL(pthread_rwlock_clockrdlock)
GORO_REAL(pthread_rwlock_wrlock)
GORO_REAL(pthread_rwlock_trywrlock)
GORO_REAL(pthread_rwlock_timedwrlock)
GORO_REAL(pthread_rwlock_clockwrlock)
GORO_REAL(pthread_rwlock_unlock)
GORO_REAL(pthread_cond_wait, "GLIBC_2.3.2")
GORO_REAL(pthread_cond_timedwait, "GLIBC_2.3.2")
GORO_REAL(pthread_cond_clockwait)
GORO_REAL(pthread_cond_signal, "GLIBC_2.3.2")
GORO_REAL(pthread_cond_broadcast, "GLIBC_2.3.2")
GORO_REAL(pthread_create)
GORO_REAL(pthread_join)
GORO_REAL(pthread_once)
GORO_REAL(__cxa_guard_acquire)
GORO_REAL(__cxa_guard_release)
GORO_REAL(sem_post)
GORO_REAL(sem_wait)
GORO_REAL(sem_trywait)
GORO_REAL(sem_timedwait)
GORO_REAL(pthread_barrier_wait)
GORO_REAL(pthread_tryjoin_np)
GORO_REAL(pthread_mutex_init)
GORO_REAL(pthread_mutex_destroy)
GORO_REAL(pthread_rwlock_init)
GORO_REAL(pthread_rwlock_destroy)
GORO_REAL(pthread_spin_init)
GORO_REAL(pthread_spin_destroy)
GORO_REAL(pthread_cond_init, "GLIBC_2.3.2")
GORO_REAL(pthread_cond_destroy, "GLIBC_2.3.2")
GORO_REAL(pthread_barrier_init)
GORO_REAL(pthread_barrier_destroy)
GORO_REAL(pthread_timedjoin_np)

// An rwlock's two sync addresses: the lock itself (writers) and one byte in (departing readers).
const void* readers_of(const pthread_rwlock_t* l) { return reinterpret_cast<const char*>(l) + 1; }

// A pthread object's first byte, written (init, destroy) or read (a use) by the interposer fn's
// caller.
void touch(const void* fn, std::uintptr_t caller, const void* object, bool write) {
  const libc_call call(fn, caller);
  call.range(object, 1, !write);
}
#define GORO_USE(fn, object) touch(GORO_LIBC_HERE(fn), object, false)
#define GORO_CREATE_OR_DESTROY(fn, object) touch(GORO_LIBC_HERE(fn), object, true)

// Lock order (lock_order.hpp): l was taken (write: not a read lock; try_lock: by a call that
// cannot wait forever — trylock, timedlock, clocklock) at the program's call site pc, or is about
// to be released. Either way the goroutine's count of held locks follows (sched/user_locks.hpp).
void lock_taken(const void* l, bool write, bool try_lock, std::uintptr_t pc) {
  sched::user_lock_taken();
  if (tracking()) lock_order_acquired(current(), l, write, try_lock, pc);
}
void lock_leaving(const void* l) {
  sched::user_lock_released();
  if (tracking()) lock_order_released(current(), l);
}

// Whether the calling thread holds l for writing (glibc records the writer's thread id).
bool holds_for_writing(const pthread_rwlock_t* l) {
  return l->__data.__cur_writer == static_cast<int>(gettid());
}

// A new thread's start: the routine and argument, and the creator's clock at pthread_create.
struct start {
  void* (*fn)(void*);
  void* arg;
  bool creator_tracked;
  std::uint32_t create_stack;
  std::int64_t number;  // the thread's number, taken by its creator (next_thread_number)
};

// glibc gives a new thread the stack block of a finished one when it can (its cache of stacks),
// static TLS and all: a detached thread has no join to order its accesses there before the new
// thread's, so the block's shadow and sync objects are forgotten before the new thread runs any
// of the program's code. (ThreadSanitizer resets a starting thread's stack and TLS the same way.)
// pthread_getattr_np reports glibc's whole block, the TLS and thread descriptor at its top
// included.
void forget_own_stack_block() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* lo = nullptr;
  std::size_t size = 0;
  const bool known = pthread_attr_getstack(&attr, &lo, &size) == 0;
  pthread_attr_destroy(&attr);
  if (!known || lo == nullptr || size == 0) return;
  const auto base = reinterpret_cast<std::uintptr_t>(lo);
  reset_shadow(base, size);
  sync_free_range(base, size);
}

void* thread_start(void* p) {
  start s = *static_cast<start*>(p);
  forget_own_stack_block();
  if (s.creator_tracked) {
    thread_context_create(s.create_stack, s.number);
    goro::race::acquire(p);
  }
  // The start block is the detector's, not the program's: no shadow to reset.
  internal_free(p, sizeof(start));
  return s.fn(s.arg);
}

// pthread_once's routine takes no argument: the user's routine travels in a thread-local.
GORO_TLS void (*t_once_routine)();
GORO_TLS pthread_once_t* t_once_control;

void once_trampoline() {
  void (*routine)() = t_once_routine;
  pthread_once_t* control = t_once_control;
  routine();
  release_if(control);
}

}  // namespace

// Called by the thread-exit path of plain threads (context.cpp): the end of the thread happens
// before pthread_join returns.
void thread_finished() { release_if(reinterpret_cast<const void*>(pthread_self())); }

}  // namespace goro::race

using namespace goro::race;

extern "C" {

// ---- mutexes and spin locks

int pthread_mutex_lock(pthread_mutex_t* m) {
  GORO_USE(pthread_mutex_lock, m);
  const int rc = real_pthread_mutex_lock()(m);
  if (rc == 0) {
    acquire_if(m);
    lock_taken(m, true, false, GORO_LIBC_CALLER);
  }
  return rc;
}

int pthread_mutex_trylock(pthread_mutex_t* m) {
  GORO_USE(pthread_mutex_trylock, m);
  const int rc = real_pthread_mutex_trylock()(m);
  if (rc == 0) {
    acquire_if(m);
    lock_taken(m, true, true, GORO_LIBC_CALLER);
  }
  return rc;
}

int pthread_mutex_timedlock(pthread_mutex_t* m, const struct timespec* t) {
  GORO_USE(pthread_mutex_timedlock, m);
  const int rc = real_pthread_mutex_timedlock()(m, t);
  if (rc == 0) {
    acquire_if(m);
    lock_taken(m, true, true, GORO_LIBC_CALLER);
  }
  return rc;
}

// std::timed_mutex's try_lock_for / try_lock_until (glibc 2.30+).
int pthread_mutex_clocklock(pthread_mutex_t* m, clockid_t clock, const struct timespec* t) {
  GORO_USE(pthread_mutex_clocklock, m);
  const int rc = real_pthread_mutex_clocklock()(m, clock, t);
  if (rc == 0) {
    acquire_if(m);
    lock_taken(m, true, true, GORO_LIBC_CALLER);
  }
  return rc;
}

int pthread_mutex_unlock(pthread_mutex_t* m) {
  GORO_USE(pthread_mutex_unlock, m);
  lock_leaving(m);
  release_if(m);
  return real_pthread_mutex_unlock()(m);
}

int pthread_spin_lock(pthread_spinlock_t* l) {
  GORO_USE(pthread_spin_lock, const_cast<int*>(l));
  const int rc = real_pthread_spin_lock()(l);
  if (rc == 0) {
    acquire_if(const_cast<int*>(l));
    lock_taken(const_cast<int*>(l), true, false, GORO_LIBC_CALLER);
  }
  return rc;
}

int pthread_spin_trylock(pthread_spinlock_t* l) {
  GORO_USE(pthread_spin_trylock, const_cast<int*>(l));
  const int rc = real_pthread_spin_trylock()(l);
  if (rc == 0) {
    acquire_if(const_cast<int*>(l));
    lock_taken(const_cast<int*>(l), true, true, GORO_LIBC_CALLER);
  }
  return rc;
}

int pthread_spin_unlock(pthread_spinlock_t* l) {
  GORO_USE(pthread_spin_unlock, const_cast<int*>(l));
  lock_leaving(const_cast<int*>(l));
  release_if(const_cast<int*>(l));
  return real_pthread_spin_unlock()(l);
}

// ---- reader-writer locks

int pthread_rwlock_rdlock(pthread_rwlock_t* l) {
  GORO_USE(pthread_rwlock_rdlock, l);
  const int rc = real_pthread_rwlock_rdlock()(l);
  if (rc == 0) {
    acquire_if(l);
    lock_taken(l, false, false, GORO_LIBC_CALLER);
  }
  return rc;
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t* l) {
  GORO_USE(pthread_rwlock_tryrdlock, l);
  const int rc = real_pthread_rwlock_tryrdlock()(l);
  if (rc == 0) {
    acquire_if(l);
    lock_taken(l, false, true, GORO_LIBC_CALLER);
  }
  return rc;
}

int pthread_rwlock_timedrdlock(pthread_rwlock_t* l, const struct timespec* t) {
  GORO_USE(pthread_rwlock_timedrdlock, l);
  const int rc = real_pthread_rwlock_timedrdlock()(l, t);
  if (rc == 0) {
    acquire_if(l);
    lock_taken(l, false, true, GORO_LIBC_CALLER);
  }
  return rc;
}

// std::shared_timed_mutex's timed tries (glibc 2.30+), like their timed namesakes.
int pthread_rwlock_clockrdlock(pthread_rwlock_t* l, clockid_t clock, const struct timespec* t) {
  GORO_USE(pthread_rwlock_clockrdlock, l);
  const int rc = real_pthread_rwlock_clockrdlock()(l, clock, t);
  if (rc == 0) {
    acquire_if(l);
    lock_taken(l, false, true, GORO_LIBC_CALLER);
  }
  return rc;
}

int pthread_rwlock_wrlock(pthread_rwlock_t* l) {
  GORO_USE(pthread_rwlock_wrlock, l);
  const int rc = real_pthread_rwlock_wrlock()(l);
  if (rc == 0) {
    acquire_if(l);
    acquire_if(readers_of(l));
    lock_taken(l, true, false, GORO_LIBC_CALLER);
  }
  return rc;
}

int pthread_rwlock_trywrlock(pthread_rwlock_t* l) {
  GORO_USE(pthread_rwlock_trywrlock, l);
  const int rc = real_pthread_rwlock_trywrlock()(l);
  if (rc == 0) {
    acquire_if(l);
    acquire_if(readers_of(l));
    lock_taken(l, true, true, GORO_LIBC_CALLER);
  }
  return rc;
}

int pthread_rwlock_timedwrlock(pthread_rwlock_t* l, const struct timespec* t) {
  GORO_USE(pthread_rwlock_timedwrlock, l);
  const int rc = real_pthread_rwlock_timedwrlock()(l, t);
  if (rc == 0) {
    acquire_if(l);
    acquire_if(readers_of(l));
    lock_taken(l, true, true, GORO_LIBC_CALLER);
  }
  return rc;
}

int pthread_rwlock_clockwrlock(pthread_rwlock_t* l, clockid_t clock, const struct timespec* t) {
  GORO_USE(pthread_rwlock_clockwrlock, l);
  const int rc = real_pthread_rwlock_clockwrlock()(l, clock, t);
  if (rc == 0) {
    acquire_if(l);
    acquire_if(readers_of(l));
    lock_taken(l, true, true, GORO_LIBC_CALLER);
  }
  return rc;
}

int pthread_rwlock_unlock(pthread_rwlock_t* l) {
  GORO_USE(pthread_rwlock_unlock, l);
  lock_leaving(l);
  if (holds_for_writing(l)) {
    release_if(l);
  } else {
    release_merge_if(readers_of(l));
  }
  return real_pthread_rwlock_unlock()(l);
}

// ---- condition variables

int pthread_cond_wait(pthread_cond_t* c, pthread_mutex_t* m) {
  GORO_USE(pthread_cond_wait, c);
  GORO_USE(pthread_cond_wait, m);
  release_if(m);
  const int rc = real_pthread_cond_wait()(c, m);
  acquire_if(m);
  return rc;
}

int pthread_cond_timedwait(pthread_cond_t* c, pthread_mutex_t* m, const struct timespec* t) {
  GORO_USE(pthread_cond_timedwait, c);
  GORO_USE(pthread_cond_timedwait, m);
  release_if(m);
  const int rc = real_pthread_cond_timedwait()(c, m, t);
  acquire_if(m);
  return rc;
}

int pthread_cond_clockwait(pthread_cond_t* c, pthread_mutex_t* m, clockid_t clock,
                           const struct timespec* t) {
  GORO_USE(pthread_cond_clockwait, c);
  GORO_USE(pthread_cond_clockwait, m);
  release_if(m);
  const int rc = real_pthread_cond_clockwait()(c, m, clock, t);
  acquire_if(m);
  return rc;
}

int pthread_cond_signal(pthread_cond_t* c) {
  GORO_USE(pthread_cond_signal, c);
  return real_pthread_cond_signal()(c);
}

int pthread_cond_broadcast(pthread_cond_t* c) {
  GORO_USE(pthread_cond_broadcast, c);
  return real_pthread_cond_broadcast()(c);
}

// ---- creating and destroying objects (see the file comment)

int pthread_mutex_init(pthread_mutex_t* m, const pthread_mutexattr_t* attr) {
  GORO_CREATE_OR_DESTROY(pthread_mutex_init, m);
  return real_pthread_mutex_init()(m, attr);
}

int pthread_mutex_destroy(pthread_mutex_t* m) {
  GORO_CREATE_OR_DESTROY(pthread_mutex_destroy, m);
  if (detector_initialized()) lock_order_destroyed(m);
  return real_pthread_mutex_destroy()(m);
}

int pthread_rwlock_init(pthread_rwlock_t* l, const pthread_rwlockattr_t* attr) {
  GORO_CREATE_OR_DESTROY(pthread_rwlock_init, l);
  return real_pthread_rwlock_init()(l, attr);
}

int pthread_rwlock_destroy(pthread_rwlock_t* l) {
  GORO_CREATE_OR_DESTROY(pthread_rwlock_destroy, l);
  if (detector_initialized()) lock_order_destroyed(l);
  return real_pthread_rwlock_destroy()(l);
}

int pthread_spin_init(pthread_spinlock_t* l, int shared) {
  GORO_CREATE_OR_DESTROY(pthread_spin_init, const_cast<int*>(l));
  return real_pthread_spin_init()(l, shared);
}

int pthread_spin_destroy(pthread_spinlock_t* l) {
  GORO_CREATE_OR_DESTROY(pthread_spin_destroy, const_cast<int*>(l));
  if (detector_initialized()) lock_order_destroyed(const_cast<int*>(l));
  return real_pthread_spin_destroy()(l);
}

int pthread_cond_init(pthread_cond_t* c, const pthread_condattr_t* attr) {
  GORO_CREATE_OR_DESTROY(pthread_cond_init, c);
  return real_pthread_cond_init()(c, attr);
}

int pthread_cond_destroy(pthread_cond_t* c) {
  GORO_CREATE_OR_DESTROY(pthread_cond_destroy, c);
  return real_pthread_cond_destroy()(c);
}

int pthread_barrier_init(pthread_barrier_t* b, const pthread_barrierattr_t* attr, unsigned n) {
  GORO_CREATE_OR_DESTROY(pthread_barrier_init, b);
  return real_pthread_barrier_init()(b, attr, n);
}

int pthread_barrier_destroy(pthread_barrier_t* b) {
  GORO_CREATE_OR_DESTROY(pthread_barrier_destroy, b);
  return real_pthread_barrier_destroy()(b);
}

// ---- semaphores

int sem_post(sem_t* s) {
  release_merge_if(s);
  return real_sem_post()(s);
}

int sem_wait(sem_t* s) {
  const int rc = real_sem_wait()(s);
  if (rc == 0) acquire_if(s);
  return rc;
}

int sem_trywait(sem_t* s) {
  const int rc = real_sem_trywait()(s);
  if (rc == 0) acquire_if(s);
  return rc;
}

int sem_timedwait(sem_t* s, const struct timespec* t) {
  const int rc = real_sem_timedwait()(s, t);
  if (rc == 0) acquire_if(s);
  return rc;
}

// ---- threads

int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*fn)(void*), void* arg) {
  if (!detector_initialized()) return real_pthread_create()(thread, attr, fn, arg);
  auto* s = static_cast<start*>(internal_alloc(sizeof(start)));
  s->fn = fn;
  s->arg = arg;
  s->creator_tracked = tracking();
  s->create_stack = 0;
  s->number = 0;
  if (s->creator_tracked) {
    s->number = next_thread_number();
    // The unwinder, not frame pointers: std::thread's constructor runs through libstdc++, which is
    // built without them. Thread creation costs tens of microseconds anyway.
    std::uintptr_t pcs[32];
    const std::size_t n = goro::debug::current_stack(pcs, 32, 1);
    s->create_stack = depot_put(pcs, n, stack_hash(pcs, n));
    goro::race::release(s);
  }
  const int rc = real_pthread_create()(thread, attr, thread_start, s);
  if (rc != 0) internal_free(s, sizeof(start));
  return rc;
}

int pthread_join(pthread_t thread, void** result) {
  const int rc = real_pthread_join()(thread, result);
  if (rc == 0) acquire_if(reinterpret_cast<const void*>(thread));
  return rc;
}

int pthread_tryjoin_np(pthread_t thread, void** result) {
  const int rc = real_pthread_tryjoin_np()(thread, result);
  if (rc == 0) acquire_if(reinterpret_cast<const void*>(thread));
  return rc;
}

int pthread_timedjoin_np(pthread_t thread, void** result, const struct timespec* t) {
  const int rc = real_pthread_timedjoin_np()(thread, result, t);
  if (rc == 0) acquire_if(reinterpret_cast<const void*>(thread));
  return rc;
}

// ---- barriers: everything before any thread's wait happens before every thread's return. Each
// arriving thread merges its clock into the barrier before it sleeps and acquires the merge after
// waking, when every thread of its round has merged (a thread of the next round may have merged
// too: an edge C++ does not promise, which can hide a race, never invent one).

int pthread_barrier_wait(pthread_barrier_t* b) {
  GORO_USE(pthread_barrier_wait, b);
  release_merge_if(b);
  const int rc = real_pthread_barrier_wait()(b);
  if (rc == 0 || rc == PTHREAD_BARRIER_SERIAL_THREAD) acquire_if(b);
  return rc;
}

int pthread_once(pthread_once_t* control, void (*routine)()) {
  void (*saved_routine)() = t_once_routine;
  pthread_once_t* saved_control = t_once_control;
  t_once_routine = routine;
  t_once_control = control;
  const int rc = real_pthread_once()(control, once_trampoline);
  t_once_routine = saved_routine;
  t_once_control = saved_control;
  acquire_if(control);
  return rc;
}

// ---- function-local statics (the Itanium C++ ABI's guard functions, defined by libstdc++)

int __cxa_guard_acquire(std::int64_t* guard) {
  const int must_initialise = real___cxa_guard_acquire()(guard);
  if (must_initialise == 0) acquire_if(guard);
  return must_initialise;
}

void __cxa_guard_release(std::int64_t* guard) {
  release_if(guard);
  real___cxa_guard_release()(guard);
}

// ---- the runtime's own calls (see the file comment): straight to libc, no edges

int __goro_rt_pthread_mutex_lock(pthread_mutex_t* m) { return real_pthread_mutex_lock()(m); }
int __goro_rt_pthread_mutex_trylock(pthread_mutex_t* m) { return real_pthread_mutex_trylock()(m); }
int __goro_rt_pthread_mutex_timedlock(pthread_mutex_t* m, const struct timespec* t) {
  return real_pthread_mutex_timedlock()(m, t);
}
int __goro_rt_pthread_mutex_unlock(pthread_mutex_t* m) { return real_pthread_mutex_unlock()(m); }
int __goro_rt_pthread_rwlock_rdlock(pthread_rwlock_t* l) { return real_pthread_rwlock_rdlock()(l); }
int __goro_rt_pthread_rwlock_tryrdlock(pthread_rwlock_t* l) {
  return real_pthread_rwlock_tryrdlock()(l);
}
int __goro_rt_pthread_rwlock_wrlock(pthread_rwlock_t* l) { return real_pthread_rwlock_wrlock()(l); }
int __goro_rt_pthread_rwlock_trywrlock(pthread_rwlock_t* l) {
  return real_pthread_rwlock_trywrlock()(l);
}
int __goro_rt_pthread_rwlock_unlock(pthread_rwlock_t* l) { return real_pthread_rwlock_unlock()(l); }
int __goro_rt_pthread_cond_wait(pthread_cond_t* c, pthread_mutex_t* m) {
  return real_pthread_cond_wait()(c, m);
}
int __goro_rt_pthread_cond_timedwait(pthread_cond_t* c, pthread_mutex_t* m,
                                     const struct timespec* t) {
  return real_pthread_cond_timedwait()(c, m, t);
}
int __goro_rt_pthread_cond_clockwait(pthread_cond_t* c, pthread_mutex_t* m, clockid_t clock,
                                     const struct timespec* t) {
  return real_pthread_cond_clockwait()(c, m, clock, t);
}
int __goro_rt_pthread_cond_signal(pthread_cond_t* c) { return real_pthread_cond_signal()(c); }
int __goro_rt_pthread_cond_broadcast(pthread_cond_t* c) { return real_pthread_cond_broadcast()(c); }
int __goro_rt_pthread_create(pthread_t* t, const pthread_attr_t* a, void* (*fn)(void*), void* arg) {
  return real_pthread_create()(t, a, fn, arg);
}
int __goro_rt_pthread_join(pthread_t t, void** r) { return real_pthread_join()(t, r); }
int __goro_rt_pthread_once(pthread_once_t* c, void (*r)()) { return real_pthread_once()(c, r); }

}  // extern "C"
