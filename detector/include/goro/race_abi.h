/* The C ABI between code compiled by `goro c++` (the instrumentation plugin) and the goro runtime.
 *
 * Versioned: every instrumented module references __goro_race_init_v1 (race builds) or
 * __goro_instrumented_v1 (all builds); bumping the version makes a plugin/runtime mismatch a link
 * error instead of a silent misbehaviour. The plugin emits calls to these functions only; it never
 * includes this header (it declares them in IR), so the names and signatures below are the
 * contract.
 *
 * Memory orders are C11's __ATOMIC_* values (0 relaxed, 1 consume, 2 acquire, 3 release, 4 acq_rel,
 * 5 seq_cst). Every hook is nounwind.
 */
#ifndef GORO_RACE_ABI_H
#define GORO_RACE_ABI_H

#include <stddef.h>
#include <stdint.h>

#define GORO_RACE_ABI_VERSION 1

#ifdef __cplusplus
extern "C" {
#endif

/* --- Every build (race or not): preemption safe points and stack checks. -------------------------
 * The plugin compares the stack pointer with the current goroutine's guard at function prologues
 * and loop back-edges. The guard is read with `mov %fs:__goro_stack_guard@tpoff` (initial-exec TLS,
 * read afresh each time: goroutines migrate). It is the goroutine's stack limit plus a red zone, or
 * UINTPTR_MAX when the runtime asks the goroutine to yield (preemption). */
extern __thread uintptr_t __goro_stack_guard;
/* Called when sp < __goro_stack_guard: reports a stack overflow (fatal) or yields (preemption).
 * sp is the caller's stack pointer after its prologue (its frame included); frame_size is that
 * frame's size, informational. */
void __goro_stack_check_slow(uintptr_t sp, uintptr_t frame_size);
/* Referenced by every instrumented module. */
extern const int __goro_instrumented_v1;

/* --- Race builds only. ------------------------------------------------------------------------ */
void __goro_race_init_v1(void);

/* Plain accesses of 1, 2, 4, 8, 16 bytes (aligned or not). */
void __goro_read1(const void* addr);
void __goro_read2(const void* addr);
void __goro_read4(const void* addr);
void __goro_read8(const void* addr);
void __goro_read16(const void* addr);
void __goro_write1(void* addr);
void __goro_write2(void* addr);
void __goro_write4(void* addr);
void __goro_write8(void* addr);
void __goro_write16(void* addr);
/* Accesses of any size (aggregates, memory intrinsics already performed by the caller). */
void __goro_read_range(const void* addr, size_t size);
void __goro_write_range(void* addr, size_t size);

/* An object's vtable pointer: read by a virtual call; stored by a constructor or destructor, which
 * is a write only if the pointer changes (a destructor re-storing its own class's vtable is not).
 * A race on it is reported as a data race on vptr. */
void __goro_vptr_read(void* const* addr);
void __goro_vptr_update(void** addr, void* value);
/* The calling thread's own thread_local variable: checked in plain threads. Goroutines skip it:
 * the goroutines that run one after another on a thread share its thread-locals with no edge the
 * detector could see. (Through a pointer, a thread-local is ordinary memory.) */
void __goro_tls_read(const void* addr, size_t size);
void __goro_tls_write(void* addr, size_t size);

/* The program is about to free addr (free, realloc or operator delete): the free() or realloc()
 * that follows is checked as a write of the block, at the caller's pc. Frees with no hint (the
 * runtime's, uninstrumented libraries') only forget the block. */
void __goro_free_hint(void* addr);

/* Memory intrinsics and their libc calls: check the whole ranges, then perform. */
void* __goro_memcpy(void* dst, const void* src, size_t n);
void* __goro_memmove(void* dst, const void* src, size_t n);
void* __goro_memset(void* dst, int c, size_t n);

/* Shadow call stack: caller_pc is the instrumented function's return address. */
void __goro_func_enter(void* caller_pc);
void __goro_func_exit(void);

/* The life of a stack variable whose address escapes: its scope (lifetime markers) or, where the
 * compiler left none, its function's entry and exits. Another goroutine's access to a dead one is
 * a stack use after return. */
void __goro_stack_live(void* addr, size_t size);
void __goro_stack_dead(void* addr, size_t size);

/* Atomics: each performs the operation with the given order(s) and records it.
 * N in 8/16/32/64/128. */
#define GORO_RACE_ATOMIC_DECLS(N, T)                                                      \
  T __goro_atomic##N##_load(const volatile T* a, int mo);                                 \
  void __goro_atomic##N##_store(volatile T* a, T v, int mo);                              \
  T __goro_atomic##N##_exchange(volatile T* a, T v, int mo);                              \
  T __goro_atomic##N##_fetch_add(volatile T* a, T v, int mo);                             \
  T __goro_atomic##N##_fetch_sub(volatile T* a, T v, int mo);                             \
  T __goro_atomic##N##_fetch_and(volatile T* a, T v, int mo);                             \
  T __goro_atomic##N##_fetch_or(volatile T* a, T v, int mo);                              \
  T __goro_atomic##N##_fetch_xor(volatile T* a, T v, int mo);                             \
  T __goro_atomic##N##_fetch_nand(volatile T* a, T v, int mo);                            \
  /* Returns the value found; stores desired if it equalled expected (strong CAS). */     \
  T __goro_atomic##N##_compare_exchange_val(volatile T* a, T expected, T desired, int mo, \
                                            int fail_mo);

GORO_RACE_ATOMIC_DECLS(8, uint8_t)
GORO_RACE_ATOMIC_DECLS(16, uint16_t)
GORO_RACE_ATOMIC_DECLS(32, uint32_t)
GORO_RACE_ATOMIC_DECLS(64, uint64_t)
GORO_RACE_ATOMIC_DECLS(128, unsigned __int128)
#undef GORO_RACE_ATOMIC_DECLS

void __goro_atomic_thread_fence(int mo);
void __goro_atomic_signal_fence(int mo);

#ifdef __cplusplus
}
#endif

#endif /* GORO_RACE_ABI_H */
