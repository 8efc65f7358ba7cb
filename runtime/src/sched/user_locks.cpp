// The count of pthread locks each goroutine holds (user_locks.hpp), and the plain build's pthread
// lock interposers, which forward to the C library and keep the count. The race build's detector
// interposes the same functions and counts there (detector/src/pthread.cpp); a ThreadSanitizer
// build of the runtime leaves them to ThreadSanitizer's interceptors.
#include "sched/user_locks.hpp"

#include "goro/sync.hpp"
#include "sched/g.hpp"

namespace goro::sched {
namespace {

// The goroutine running on this thread, from the token the scheduler keeps in __goro_current_g
// for as long as m->curg names it (sched/proc.cpp, enter and left): one thread-local load, where
// current_g() goes through the M (the interposers added 35 instructions to each lock and unlock
// of a std::mutex that way, 22 this way).
// The token is this thread's running goroutine's own, so its incarnation needs no check.
G* running_g() {
  // relaxed: this thread's own variable.
  return g_of_token(__atomic_load_n(&__goro_current_g, __ATOMIC_RELAXED));
}

}  // namespace

void user_lock_taken() {
  if (G* g = running_g()) ++g->user_locks;
}

void user_lock_released() {
  G* g = running_g();
  if (g != nullptr && g->user_locks != 0) --g->user_locks;
}

bool holds_user_lock(const G* g) { return g->user_locks != 0; }

bool current_holds_user_lock() {
  const G* g = running_g();
  return g != nullptr && holds_user_lock(g);
}

}  // namespace goro::sched

#if !GORO_RACE && !defined(GORO_SANITIZE_THREAD)

#include <dlfcn.h>
#include <pthread.h>
#include <time.h>

#include <atomic>

#include "debug/fatal.hpp"

namespace goro::sched {
namespace {

// The C library's definition of `name`, looked up once. relaxed: every thread that looks it up
// finds the same address, the whole message.
template <class Fn>
Fn* next_definition(std::atomic<Fn*>& cached, const char* name) {
  Fn* fn = cached.load(std::memory_order_relaxed);
  if (fn == nullptr) {
    fn = reinterpret_cast<Fn*>(dlsym(RTLD_NEXT, name));
    if (fn == nullptr) debug::fatal_plain("runtime: the C library has no pthread lock functions");
    cached.store(fn, std::memory_order_relaxed);
  }
  return fn;
}

// Calls the C library's `name` with args; a lock taken (0) is counted.
#define GORO_FORWARD_LOCK(name, type, ...)                  \
  using real_type = type;                                   \
  static std::atomic<real_type*> real{nullptr};             \
  const int rc = next_definition(real, #name)(__VA_ARGS__); \
  if (rc == 0) user_lock_taken();                           \
  return rc

}  // namespace
}  // namespace goro::sched

using goro::sched::next_definition;
using goro::sched::user_lock_released;
using goro::sched::user_lock_taken;

extern "C" {

int pthread_mutex_lock(pthread_mutex_t* m) {
  GORO_FORWARD_LOCK(pthread_mutex_lock, int(pthread_mutex_t*), m);
}
int pthread_mutex_trylock(pthread_mutex_t* m) {
  GORO_FORWARD_LOCK(pthread_mutex_trylock, int(pthread_mutex_t*), m);
}
int pthread_mutex_timedlock(pthread_mutex_t* m, const struct timespec* t) {
  GORO_FORWARD_LOCK(pthread_mutex_timedlock, int(pthread_mutex_t*, const struct timespec*), m, t);
}
int pthread_mutex_clocklock(pthread_mutex_t* m, clockid_t c, const struct timespec* t) {
  GORO_FORWARD_LOCK(pthread_mutex_clocklock,
                    int(pthread_mutex_t*, clockid_t, const struct timespec*), m, c, t);
}
int pthread_mutex_unlock(pthread_mutex_t* m) {
  static std::atomic<int (*)(pthread_mutex_t*)> real{nullptr};
  user_lock_released();
  return next_definition(real, "pthread_mutex_unlock")(m);
}

int pthread_rwlock_rdlock(pthread_rwlock_t* l) {
  GORO_FORWARD_LOCK(pthread_rwlock_rdlock, int(pthread_rwlock_t*), l);
}
int pthread_rwlock_tryrdlock(pthread_rwlock_t* l) {
  GORO_FORWARD_LOCK(pthread_rwlock_tryrdlock, int(pthread_rwlock_t*), l);
}
int pthread_rwlock_timedrdlock(pthread_rwlock_t* l, const struct timespec* t) {
  GORO_FORWARD_LOCK(pthread_rwlock_timedrdlock, int(pthread_rwlock_t*, const struct timespec*), l,
                    t);
}
int pthread_rwlock_clockrdlock(pthread_rwlock_t* l, clockid_t c, const struct timespec* t) {
  GORO_FORWARD_LOCK(pthread_rwlock_clockrdlock,
                    int(pthread_rwlock_t*, clockid_t, const struct timespec*), l, c, t);
}
int pthread_rwlock_wrlock(pthread_rwlock_t* l) {
  GORO_FORWARD_LOCK(pthread_rwlock_wrlock, int(pthread_rwlock_t*), l);
}
int pthread_rwlock_trywrlock(pthread_rwlock_t* l) {
  GORO_FORWARD_LOCK(pthread_rwlock_trywrlock, int(pthread_rwlock_t*), l);
}
int pthread_rwlock_timedwrlock(pthread_rwlock_t* l, const struct timespec* t) {
  GORO_FORWARD_LOCK(pthread_rwlock_timedwrlock, int(pthread_rwlock_t*, const struct timespec*), l,
                    t);
}
int pthread_rwlock_clockwrlock(pthread_rwlock_t* l, clockid_t c, const struct timespec* t) {
  GORO_FORWARD_LOCK(pthread_rwlock_clockwrlock,
                    int(pthread_rwlock_t*, clockid_t, const struct timespec*), l, c, t);
}
int pthread_rwlock_unlock(pthread_rwlock_t* l) {
  static std::atomic<int (*)(pthread_rwlock_t*)> real{nullptr};
  user_lock_released();
  return next_definition(real, "pthread_rwlock_unlock")(l);
}

}  // extern "C"

#endif
