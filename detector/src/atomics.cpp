// The instrumented code's atomic operations (race_abi.h): each performs the operation and tells the
// detector what it means, following C++'s memory orders as TSan v3 does:
//  - every atomic is an atomic access in the shadow (atomics race only with plain accesses);
//  - relaxed creates no edge;
//  - an acquire load acquires the location's clock, if it ever had one (no object is created for
//    loads: a pointer read in a loop should not cost a sync object);
//  - a release store release-stores its clock into the location (overwrites: a later acquire of the
//    value sees this store's history only);
//  - a read-modify-write with release merges (release sequences continue through RMWs), with
//  acquire
//    acquires, acq_rel and seq_cst do both;
//  - a failed compare-exchange is a load with the failure order.
// The operation itself is performed while the location's sync object is locked, so the order in
// which clocks pass through it is the order in which the values do.
// Fences (TSan models none; SPEC asks for them), conservatively: a release fence makes every later
// relaxed store or read-modify-write of the goroutine a release (of its clock at the store, which
// covers its clock at the fence); an acquire fence acquires the current clocks of the locations its
// goroutine loaded relaxed since its last acquire fence, which cover what those loads read (the
// last four are remembered; an older one is acquired when it is forgotten). Both can only
// add edges that C++ does not promise (a missed race), never miss one it does (a false report).
#include "access.hpp"
#include "goro/race_abi.h"
#include "sync_table.hpp"

namespace goro::race {
namespace {

bool acquires(int mo) {
  return mo == __ATOMIC_CONSUME || mo == __ATOMIC_ACQUIRE || mo >= __ATOMIC_ACQ_REL;
}
bool releases(int mo) { return mo >= __ATOMIC_RELEASE; }

// The program's operation itself runs at seq_cst (stores: see do_store), at least as strong as
// any order the program asked for; on x86-64 loads and read-modify-writes cost the same at every
// order. The requested order is modelled separately, by the clocks.
template <class T>
T do_load(const volatile T* a) {
  if constexpr (sizeof(T) == 16) {
    // cmpxchg16b with equal expected and desired: a 16-byte atomic read (the location must be
    // writable, as for any 16-byte atomic on x86-64).
    return __sync_val_compare_and_swap(const_cast<volatile T*>(a), T{0}, T{0});
  } else {
    return __atomic_load_n(a, __ATOMIC_SEQ_CST);
  }
}

template <class T>
T do_exchange(volatile T* a, T v) {
  if constexpr (sizeof(T) == 16) {
    T old = do_load(a);
    for (;;) {
      const T seen = __sync_val_compare_and_swap(a, old, v);
      if (seen == old) return old;
      old = seen;
    }
  } else {
    return __atomic_exchange_n(a, v, __ATOMIC_SEQ_CST);
  }
}

template <class T>
T do_cas(volatile T* a, T expected, T desired) {
  if constexpr (sizeof(T) == 16) {
    return __sync_val_compare_and_swap(a, expected, desired);
  } else {
    __atomic_compare_exchange_n(a, &expected, desired, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return expected;
  }
}

template <class T>
void do_store(volatile T* a, T v, int mo) {
  if constexpr (sizeof(T) == 16) {
    do_exchange(a, v);
  } else if (mo == __ATOMIC_SEQ_CST) {
    __atomic_store_n(a, v, __ATOMIC_SEQ_CST);
  } else {
    // relaxed or release was requested: release covers both and is the same plain store on
    // x86-64 (a seq_cst store would add a fence).
    __atomic_store_n(a, v, __ATOMIC_RELEASE);
  }
}

enum class rmw { exchange, add, sub, and_, or_, xor_, nand };

template <class T>
T apply(rmw op, T old, T v) {
  switch (op) {
    case rmw::exchange:
      return v;
    case rmw::add:
      return static_cast<T>(old + v);
    case rmw::sub:
      return static_cast<T>(old - v);
    case rmw::and_:
      return static_cast<T>(old & v);
    case rmw::or_:
      return static_cast<T>(old | v);
    case rmw::xor_:
      return static_cast<T>(old ^ v);
    case rmw::nand:
      return static_cast<T>(~(old & v));
  }
  return v;
}

template <class T>
T do_rmw(volatile T* a, rmw op, T v) {
  if constexpr (sizeof(T) < 16) {
    switch (op) {
      case rmw::exchange:
        return __atomic_exchange_n(a, v, __ATOMIC_SEQ_CST);
      case rmw::add:
        return __atomic_fetch_add(a, v, __ATOMIC_SEQ_CST);
      case rmw::sub:
        return __atomic_fetch_sub(a, v, __ATOMIC_SEQ_CST);
      case rmw::and_:
        return __atomic_fetch_and(a, v, __ATOMIC_SEQ_CST);
      case rmw::or_:
        return __atomic_fetch_or(a, v, __ATOMIC_SEQ_CST);
      case rmw::xor_:
        return __atomic_fetch_xor(a, v, __ATOMIC_SEQ_CST);
      case rmw::nand:
        return __atomic_fetch_nand(a, v, __ATOMIC_SEQ_CST);
    }
  }
  T old = do_load(a);
  for (;;) {
    const T seen = do_cas(a, old, apply(op, old, v));
    if (seen == old) return old;
    old = seen;
  }
}

// The shadow access of an atomic: 16-byte atomics are two 8-byte halves.
template <class T>
void atomic_access(context* c, const volatile T* a, bool read, std::uintptr_t pc) {
  const auto addr = reinterpret_cast<std::uintptr_t>(a);
  if constexpr (sizeof(T) == 16) {
    access(c, addr, 8, read, true, pc);
    access(c, addr + 8, 8, read, true, pc);
  } else {
    access(c, addr, sizeof(T), read, true, pc);
  }
}

void acquire_from(context* c, sync_object* s) { clock_acquire(*tls.vc, s->clock, c->gen); }
void release_store_to(context* c, sync_object* s) {
  int sid;
  epoch_t e;
  own_segment(c, sid, e);
  clock_release_store(*tls.vc, sid, e, s->clock, c->gen);
}
void release_merge_to(context* c, sync_object* s) {
  int sid;
  epoch_t e;
  own_segment(c, sid, e);
  clock_release_merge(*tls.vc, c->clk.snap, sid, e, s->clock, c->gen);
}

// Acquires the current clock of the location at addr, if it ever had one.
void acquire_location(context* c, std::uintptr_t addr) {
  sync_object* s = sync_find(addr);
  if (s == nullptr) return;
  lock_for(c, s);
  acquire_from(c, s);
  s->mu.unlock();
}

// A relaxed load: remembered for the next acquire fence. When more locations are loaded than
// are remembered, the oldest one's clock is acquired now, as if that load had been an acquire:
// a later acquire fence might have made it one, and forgetting it would report a race the fence
// orders (found with five flags polled before one fence). Acquiring early only adds an edge.
void note_relaxed_load(context* c, const volatile void* a) {
  const auto addr = reinterpret_cast<std::uintptr_t>(a);
  for (int i = 0; i < c->nloaded; ++i) {
    if (c->loaded[i] == addr) return;
  }
  constexpr int kRemembered = sizeof(c->loaded) / sizeof(c->loaded[0]);
  if (c->nloaded < kRemembered) {
    c->loaded[c->nloaded++] = addr;
  } else {
    acquire_location(c, c->loaded[0]);
    for (int i = 1; i < kRemembered; ++i) c->loaded[i - 1] = c->loaded[i];
    c->loaded[kRemembered - 1] = addr;
  }
}

template <class T>
T load(const volatile T* a, int mo, std::uintptr_t pc) {
  context* c = current();
  if (c == nullptr) return do_load(a);
  if (!acquires(mo)) {
    note_relaxed_load(c, a);
    const T v = do_load(a);
    atomic_access(c, a, true, pc);
    return v;
  }
  // The value is read before the location's sync object is looked up: a release store creates
  // the object before it stores, so a value that came from one finds the object. (Looking up
  // first let a store slip in between a lookup that found nothing and the load that saw its
  // value: an acquire with no edge, a false report.) With an object, the value is read again
  // under its lock, where clock and value travel together; that is a later read of the same
  // location, which an atomic load may always be.
  T v = do_load(a);
  sync_object* s = sync_find(reinterpret_cast<std::uintptr_t>(a));
  if (s != nullptr) {
    lock_for(c, s);
    acquire_from(c, s);
    v = do_load(a);
    s->mu.unlock();
  }
  atomic_access(c, a, true, pc);
  return v;
}

template <class T>
void store(volatile T* a, T v, int mo, std::uintptr_t pc) {
  context* c = current();
  if (c == nullptr) {
    do_store(a, v, mo);
    return;
  }
  atomic_access(c, a, false, pc);
  if (!releases(mo) && !c->fence_released) {
    do_store(a, v, mo);
    return;
  }
  sync_object* s = sync_find_or_create(reinterpret_cast<std::uintptr_t>(a));
  lock_for(c, s);
  release_store_to(c, s);
  do_store(a, v, mo);
  s->mu.unlock();
  bump_epoch(c);
}

template <class T>
T read_modify_write(volatile T* a, rmw op, T v, int mo, std::uintptr_t pc) {
  context* c = current();
  if (c == nullptr) return do_rmw(a, op, v);
  atomic_access(c, a, false, pc);
  if (mo == __ATOMIC_RELAXED) note_relaxed_load(c, a);
  const bool release = releases(mo) || c->fence_released;
  if (mo == __ATOMIC_RELAXED && !release) return do_rmw(a, op, v);
  sync_object* s = sync_find_or_create(reinterpret_cast<std::uintptr_t>(a));
  lock_for(c, s);
  if (acquires(mo)) acquire_from(c, s);
  if (release) release_merge_to(c, s);
  const T old = do_rmw(a, op, v);
  s->mu.unlock();
  if (release) bump_epoch(c);
  return old;
}

template <class T>
T compare_exchange(volatile T* a, T expected, T desired, int mo, int fail_mo, std::uintptr_t pc) {
  context* c = current();
  if (c == nullptr) return do_cas(a, expected, desired);
  atomic_access(c, a, false, pc);
  const bool relaxed = mo == __ATOMIC_RELAXED && fail_mo == __ATOMIC_RELAXED;
  if (relaxed) note_relaxed_load(c, a);
  if (relaxed && !c->fence_released) return do_cas(a, expected, desired);
  sync_object* s = sync_find_or_create(reinterpret_cast<std::uintptr_t>(a));
  lock_for(c, s);
  const T seen = do_cas(a, expected, desired);
  const int order = seen == expected ? mo : fail_mo;
  if (acquires(order)) acquire_from(c, s);
  const bool released = seen == expected && (releases(order) || c->fence_released);
  if (released) release_merge_to(c, s);
  s->mu.unlock();
  if (released) bump_epoch(c);
  return seen;
}

}  // namespace

void fence(int mo) {
  context* c = current();
  if (c == nullptr) return;
  if (releases(mo)) c->fence_released = true;
  if (!acquires(mo)) return;
  for (int i = 0; i < c->nloaded; ++i) acquire_location(c, c->loaded[i]);
  c->nloaded = 0;
}

}  // namespace goro::race

#define GORO_RACE_ATOMIC_DEFS(N, T)                                                        \
  T __goro_atomic##N##_load(const volatile T* a, int mo) {                                 \
    return goro::race::load<T>(a, mo, GORO_PC);                                            \
  }                                                                                        \
  void __goro_atomic##N##_store(volatile T* a, T v, int mo) {                              \
    goro::race::store<T>(a, v, mo, GORO_PC);                                               \
  }                                                                                        \
  T __goro_atomic##N##_exchange(volatile T* a, T v, int mo) {                              \
    return goro::race::read_modify_write<T>(a, goro::race::rmw::exchange, v, mo, GORO_PC); \
  }                                                                                        \
  T __goro_atomic##N##_fetch_add(volatile T* a, T v, int mo) {                             \
    return goro::race::read_modify_write<T>(a, goro::race::rmw::add, v, mo, GORO_PC);      \
  }                                                                                        \
  T __goro_atomic##N##_fetch_sub(volatile T* a, T v, int mo) {                             \
    return goro::race::read_modify_write<T>(a, goro::race::rmw::sub, v, mo, GORO_PC);      \
  }                                                                                        \
  T __goro_atomic##N##_fetch_and(volatile T* a, T v, int mo) {                             \
    return goro::race::read_modify_write<T>(a, goro::race::rmw::and_, v, mo, GORO_PC);     \
  }                                                                                        \
  T __goro_atomic##N##_fetch_or(volatile T* a, T v, int mo) {                              \
    return goro::race::read_modify_write<T>(a, goro::race::rmw::or_, v, mo, GORO_PC);      \
  }                                                                                        \
  T __goro_atomic##N##_fetch_xor(volatile T* a, T v, int mo) {                             \
    return goro::race::read_modify_write<T>(a, goro::race::rmw::xor_, v, mo, GORO_PC);     \
  }                                                                                        \
  T __goro_atomic##N##_fetch_nand(volatile T* a, T v, int mo) {                            \
    return goro::race::read_modify_write<T>(a, goro::race::rmw::nand, v, mo, GORO_PC);     \
  }                                                                                        \
  T __goro_atomic##N##_compare_exchange_val(volatile T* a, T expected, T desired, int mo,  \
                                            int fail_mo) {                                 \
    return goro::race::compare_exchange<T>(a, expected, desired, mo, fail_mo, GORO_PC);    \
  }

extern "C" {

GORO_RACE_ATOMIC_DEFS(8, uint8_t)
GORO_RACE_ATOMIC_DEFS(16, uint16_t)
GORO_RACE_ATOMIC_DEFS(32, uint32_t)
GORO_RACE_ATOMIC_DEFS(64, uint64_t)
GORO_RACE_ATOMIC_DEFS(128, unsigned __int128)

void __goro_atomic_thread_fence(int mo) {
  // seq_cst: covers any requested fence (the order is a run-time value here).
  if (mo != __ATOMIC_RELAXED) __atomic_thread_fence(__ATOMIC_SEQ_CST);
  goro::race::fence(mo);
}

void __goro_atomic_signal_fence(int mo) {
  // seq_cst: as above; a signal fence only restrains the compiler.
  if (mo != __ATOMIC_RELAXED) __atomic_signal_fence(__ATOMIC_SEQ_CST);
}

}  // extern "C"
