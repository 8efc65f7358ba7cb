/* What tests/instrument/fake_runtime.c counts, for the test programs that link it.
 *
 * The fake runtime implements detector/include/goro/race_abi.h by performing each operation and
 * counting the call. It is never compiled with the plugin. Counts are updated with relaxed atomics,
 * so programs with threads may read them after joining.
 */
#ifndef GORO_TESTS_INSTRUMENT_FAKE_RUNTIME_H
#define GORO_TESTS_INSTRUMENT_FAKE_RUNTIME_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct goro_fake_counts {
  unsigned long reads[5]; /* by size index: 1, 2, 4, 8, 16 bytes */
  unsigned long writes[5];
  unsigned long read_range, write_range;
  unsigned long vptr_reads, vptr_updates; /* updates that changed the pointer */
  unsigned long tls_reads, tls_writes;
  unsigned long free_hints;
  unsigned long memcpy_calls, memmove_calls, memset_calls;
  unsigned long func_enter, func_exit;
  unsigned long stack_live, stack_dead; /* calls */
  long stack_live_bytes;                /* bytes made live minus bytes that died */
  unsigned long atomic_load, atomic_store, atomic_rmw, atomic_cas;
  unsigned long thread_fence, signal_fence;
  unsigned long race_init;
  unsigned long stack_check_slow;
  int last_order;      /* the memory order of the latest atomic hook */
  int last_fail_order; /* the failure order of the latest compare-exchange */
};

/* Named like the runtime's own state (__goro_*), which the plugin never instruments, so reading a
 * count does not change one. volatile: the compiler cannot see that an atomic or a fence becomes a
 * call that changes it. */
extern volatile struct goro_fake_counts __goro_fake;
/* The calling thread's shadow call-stack depth: func_enter - func_exit. */
long goro_fake_depth(void);
/* Called by __goro_stack_check_slow when the guard is not a preemption request (UINTPTR_MAX);
 * the default prints "fake runtime: stack overflow" and exits 3. */
extern void (*goro_fake_on_overflow)(uintptr_t sp, uintptr_t frame_size);
/* The fake's guard, the same variable the instrumented code reads. */
extern __thread uintptr_t __goro_stack_guard;

#ifdef __cplusplus
}
#endif

#endif
