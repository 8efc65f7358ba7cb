/* A stand-in for the race runtime, so instrumented programs can be linked and run before (and
 * independently of) the real detector: every function of detector/include/goro/race_abi.h performs
 * its operation and counts the call (fake_runtime.h). Including race_abi.h makes the compiler check
 * each definition against the contract's prototype.
 *
 * 8- to 64-bit atomics use the __atomic builtins with the order the instrumented code passed;
 * 128-bit ones run under one spin lock (all 128-bit atomics of an instrumented program come here).
 * Never compiled with the plugin.
 */
#include "fake_runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goro/race_abi.h"

volatile struct goro_fake_counts __goro_fake;
static __thread long depth;

__thread uintptr_t __goro_stack_guard;
const int __goro_instrumented_v1 = 1;

static void count(volatile unsigned long* c) { __atomic_fetch_add(c, 1, __ATOMIC_RELAXED); }

long goro_fake_depth(void) { return depth; }

static void default_on_overflow(uintptr_t sp, uintptr_t frame_size) {
  fprintf(stderr, "fake runtime: stack overflow (sp %#lx, frame %lu)\n", (unsigned long)sp,
          (unsigned long)frame_size);
  exit(3);
}
void (*goro_fake_on_overflow)(uintptr_t, uintptr_t) = default_on_overflow;

void __goro_stack_check_slow(uintptr_t sp, uintptr_t frame_size) {
  count(&__goro_fake.stack_check_slow);
  if (__goro_stack_guard == UINTPTR_MAX) { /* a preemption request: "yield", then clear it */
    __goro_stack_guard = 0;
    return;
  }
  goro_fake_on_overflow(sp, frame_size);
}

void __goro_race_init_v1(void) { count(&__goro_fake.race_init); }

#define ACCESS(N, I)                                                      \
  void __goro_read##N(const void* addr) { count(&__goro_fake.reads[I]); } \
  void __goro_write##N(void* addr) { count(&__goro_fake.writes[I]); }
ACCESS(1, 0)
ACCESS(2, 1)
ACCESS(4, 2)
ACCESS(8, 3)
ACCESS(16, 4)
#undef ACCESS

void __goro_read_range(const void* addr, size_t size) { count(&__goro_fake.read_range); }
void __goro_write_range(void* addr, size_t size) { count(&__goro_fake.write_range); }

void __goro_vptr_read(void* const* addr) { count(&__goro_fake.vptr_reads); }
void __goro_vptr_update(void** addr, void* value) {
  if (*addr != value) count(&__goro_fake.vptr_updates);
}
void __goro_tls_read(const void* addr, size_t size) { count(&__goro_fake.tls_reads); }
void __goro_tls_write(void* addr, size_t size) { count(&__goro_fake.tls_writes); }

void __goro_free_hint(void* addr) { count(&__goro_fake.free_hints); }

void* __goro_memcpy(void* dst, const void* src, size_t n) {
  count(&__goro_fake.memcpy_calls);
  return memcpy(dst, src, n);
}
void* __goro_memmove(void* dst, const void* src, size_t n) {
  count(&__goro_fake.memmove_calls);
  return memmove(dst, src, n);
}
void* __goro_memset(void* dst, int c, size_t n) {
  count(&__goro_fake.memset_calls);
  return memset(dst, c, n);
}

void __goro_func_enter(void* caller_pc) {
  count(&__goro_fake.func_enter);
  ++depth;
}
void __goro_func_exit(void) {
  count(&__goro_fake.func_exit);
  --depth;
}

void __goro_stack_live(void* addr, size_t size) {
  count(&__goro_fake.stack_live);
  __atomic_fetch_add(&__goro_fake.stack_live_bytes, (long)size, __ATOMIC_RELAXED);
}
void __goro_stack_dead(void* addr, size_t size) {
  count(&__goro_fake.stack_dead);
  __atomic_fetch_sub(&__goro_fake.stack_live_bytes, (long)size, __ATOMIC_RELAXED);
}

static void note(volatile unsigned long* c, int mo) {
  count(c);
  __atomic_store_n(&__goro_fake.last_order, mo, __ATOMIC_RELAXED);
}

#define ATOMICS(N, T)                                                                     \
  T __goro_atomic##N##_load(const volatile T* a, int mo) {                                \
    note(&__goro_fake.atomic_load, mo);                                                   \
    return __atomic_load_n(a, mo);                                                        \
  }                                                                                       \
  void __goro_atomic##N##_store(volatile T* a, T v, int mo) {                             \
    note(&__goro_fake.atomic_store, mo);                                                  \
    __atomic_store_n(a, v, mo);                                                           \
  }                                                                                       \
  T __goro_atomic##N##_exchange(volatile T* a, T v, int mo) {                             \
    note(&__goro_fake.atomic_rmw, mo);                                                    \
    return __atomic_exchange_n(a, v, mo);                                                 \
  }                                                                                       \
  T __goro_atomic##N##_fetch_add(volatile T* a, T v, int mo) {                            \
    note(&__goro_fake.atomic_rmw, mo);                                                    \
    return __atomic_fetch_add(a, v, mo);                                                  \
  }                                                                                       \
  T __goro_atomic##N##_fetch_sub(volatile T* a, T v, int mo) {                            \
    note(&__goro_fake.atomic_rmw, mo);                                                    \
    return __atomic_fetch_sub(a, v, mo);                                                  \
  }                                                                                       \
  T __goro_atomic##N##_fetch_and(volatile T* a, T v, int mo) {                            \
    note(&__goro_fake.atomic_rmw, mo);                                                    \
    return __atomic_fetch_and(a, v, mo);                                                  \
  }                                                                                       \
  T __goro_atomic##N##_fetch_or(volatile T* a, T v, int mo) {                             \
    note(&__goro_fake.atomic_rmw, mo);                                                    \
    return __atomic_fetch_or(a, v, mo);                                                   \
  }                                                                                       \
  T __goro_atomic##N##_fetch_xor(volatile T* a, T v, int mo) {                            \
    note(&__goro_fake.atomic_rmw, mo);                                                    \
    return __atomic_fetch_xor(a, v, mo);                                                  \
  }                                                                                       \
  T __goro_atomic##N##_fetch_nand(volatile T* a, T v, int mo) {                           \
    note(&__goro_fake.atomic_rmw, mo);                                                    \
    return __atomic_fetch_nand(a, v, mo);                                                 \
  }                                                                                       \
  T __goro_atomic##N##_compare_exchange_val(volatile T* a, T expected, T desired, int mo, \
                                            int fail_mo) {                                \
    note(&__goro_fake.atomic_cas, mo);                                                    \
    __atomic_store_n(&__goro_fake.last_fail_order, fail_mo, __ATOMIC_RELAXED);            \
    __atomic_compare_exchange_n(a, &expected, desired, 0, mo, fail_mo);                   \
    return expected;                                                                      \
  }
ATOMICS(8, uint8_t)
ATOMICS(16, uint16_t)
ATOMICS(32, uint32_t)
ATOMICS(64, uint64_t)
#undef ATOMICS

/* 128 bits: one lock for all, so no libatomic is needed. */
typedef unsigned __int128 u128;
static int lock128;
static void lock(void) {
  while (__atomic_exchange_n(&lock128, 1, __ATOMIC_ACQUIRE)) {
  }
}
static void unlock(void) { __atomic_store_n(&lock128, 0, __ATOMIC_RELEASE); }

u128 __goro_atomic128_load(const volatile u128* a, int mo) {
  note(&__goro_fake.atomic_load, mo);
  lock();
  u128 v = *a;
  unlock();
  return v;
}
void __goro_atomic128_store(volatile u128* a, u128 v, int mo) {
  note(&__goro_fake.atomic_store, mo);
  lock();
  *a = v;
  unlock();
}

enum rmw_op { XCHG, ADD, SUB, AND, OR, XOR, NAND };
static u128 rmw128(volatile u128* a, u128 v, int mo, enum rmw_op op) {
  note(&__goro_fake.atomic_rmw, mo);
  lock();
  u128 old = *a;
  switch (op) {
    case XCHG:
      *a = v;
      break;
    case ADD:
      *a = old + v;
      break;
    case SUB:
      *a = old - v;
      break;
    case AND:
      *a = old & v;
      break;
    case OR:
      *a = old | v;
      break;
    case XOR:
      *a = old ^ v;
      break;
    case NAND:
      *a = ~(old & v);
      break;
  }
  unlock();
  return old;
}
u128 __goro_atomic128_exchange(volatile u128* a, u128 v, int mo) { return rmw128(a, v, mo, XCHG); }
u128 __goro_atomic128_fetch_add(volatile u128* a, u128 v, int mo) { return rmw128(a, v, mo, ADD); }
u128 __goro_atomic128_fetch_sub(volatile u128* a, u128 v, int mo) { return rmw128(a, v, mo, SUB); }
u128 __goro_atomic128_fetch_and(volatile u128* a, u128 v, int mo) { return rmw128(a, v, mo, AND); }
u128 __goro_atomic128_fetch_or(volatile u128* a, u128 v, int mo) { return rmw128(a, v, mo, OR); }
u128 __goro_atomic128_fetch_xor(volatile u128* a, u128 v, int mo) { return rmw128(a, v, mo, XOR); }
u128 __goro_atomic128_fetch_nand(volatile u128* a, u128 v, int mo) {
  return rmw128(a, v, mo, NAND);
}
u128 __goro_atomic128_compare_exchange_val(volatile u128* a, u128 expected, u128 desired, int mo,
                                           int fail_mo) {
  note(&__goro_fake.atomic_cas, mo);
  __atomic_store_n(&__goro_fake.last_fail_order, fail_mo, __ATOMIC_RELAXED);
  lock();
  u128 old = *a;
  if (old == expected) *a = desired;
  unlock();
  return old;
}

void __goro_atomic_thread_fence(int mo) {
  note(&__goro_fake.thread_fence, mo);
  __atomic_thread_fence(mo);
}
void __goro_atomic_signal_fence(int mo) {
  note(&__goro_fake.signal_fence, mo);
  __atomic_signal_fence(mo);
}
