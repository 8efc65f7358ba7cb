// pthread locks a goroutine holds: std::mutex, std::recursive_mutex, std::timed_mutex and
// std::shared_mutex are pthread mutexes and rwlocks, which the runtime cannot see waited on.
//
// While a goroutine holds one, no safe point switches it out: sysmon's preemption request waits for
// its next safe point after the lock is released (sysmon asks again), and a seeded schedule's step
// is skipped. Go keeps the same rule for a goroutine holding a runtime lock (m.locks). Switched out
// inside a critical section, the goroutine would wait in a run queue while others that want the
// lock block their threads in the kernel, each keeping its P: once every P is kept so, nothing runs
// again, and a correct program hangs (four goroutines taking turns at a std::mutex for 15 ms each
// did so at every run, GOMAXPROCS=2).
//
// Counted by the pthread interposers: user_locks.cpp in the plain build, the race detector's own
// (detector/src/pthread.cpp) in the race build. Per goroutine, in its G: one that parks while
// holding a lock (a channel operation inside a critical section) takes its count along.
#pragma once

namespace goro::sched {

struct G;

// The calling goroutine took a pthread lock (nothing outside a goroutine).
void user_lock_taken();
// The calling goroutine releases one. A lock taken outside any goroutine, or before its interposer
// counted, is never counted below zero.
void user_lock_released();
bool holds_user_lock(const G* g);
// Whether the calling goroutine holds one (false outside a goroutine).
bool current_holds_user_lock();

}  // namespace goro::sched
