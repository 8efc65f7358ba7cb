// Active spinning: the CPU's pause hint, and when a goroutine about to block on a sync primitive
// may spin a little instead (Go's sync_runtime_canSpin / doSpin).
#pragma once

namespace goro::sync {

// Tells the CPU this is a spin-wait loop (x86 `pause`, Arm `yield`): saves power and lets the
// sibling hyper-thread, possibly the lock holder, run.
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
  asm volatile("yield" ::: "memory");
#else
  asm volatile("" ::: "memory");
#endif
}

// The number of CPUs the process may run on (at least 1), read once.
int online_cpus();

// Whether the calling goroutine, on its iter-th spin (from 0), should spin rather than park: only a
// few times, only on a multicore machine, only while at least one other P is running goroutines
// (someone who could release what we wait for) and only if our own P has nothing else to run.
// Spinning is then cheaper than the park/ready round trip; otherwise it only burns the P.
bool can_spin(int iter);

// One spin: a short burst of pause instructions.
void do_spin();

}  // namespace goro::sync
