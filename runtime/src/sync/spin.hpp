// Active spinning: the CPU's pause hint, and when a goroutine about to block on a sync primitive
// may spin a little instead (Go's sync_runtime_canSpin / doSpin).
#pragma once

#include "sched/runtime_lock.hpp"  // cpu_relax, online_cpus

namespace goro::sync {

using sched::cpu_relax;
using sched::online_cpus;

// Whether the calling goroutine, on its iter-th spin (from 0), should spin rather than park: only a
// few times, only on a multicore machine, only while at least one other P is running goroutines
// (someone who could release what we wait for) and only if our own P has nothing else to run.
// Spinning is then cheaper than the park/ready round trip; otherwise it only burns the P.
bool can_spin(int iter);

// One spin: a short burst of pause instructions.
void do_spin();

}  // namespace goro::sync
