// The semaphore table: sleep and wake-up keyed by the address of a counter (Go's sema.go). Every
// blocking operation of Mutex, RWMutex and WaitGroup parks here; sema.cpp explains the design of
// the whole package.
#pragma once

#include <cstdint>

#include "sched/wait_reason.hpp"

namespace goro::sync {

// Waits until *addr > 0, then decrements it. Parks the goroutine (state `reason` in dumps) while
// the count is 0. lifo: queue at the front of the waiters for this address instead of the back (a
// Mutex waiter that was already woken once and lost the race again). Fatal outside a goroutine
// when it would have to wait.
void semacquire(std::uint32_t* addr, bool lifo, sched::wait_reason reason);

// Increments *addr and wakes the first goroutine waiting on addr, if any. handoff: also take the
// count on the waiter's behalf so nobody else can grab it, and give the waiter our P at once (the
// current goroutine goes to the back of the local run queue): a starving Mutex uses this.
void semrelease(std::uint32_t* addr, bool handoff);

// Adds n to *addr and wakes up to n goroutines waiting on addr, taking the bucket lock once
// (WaitGroup and RWMutex wake all their waiters at once).
void semrelease_n(std::uint32_t* addr, std::uint32_t n);

// Neither release touches *addr after its increment, except for a handoff's take on behalf of a
// waiter that is still parked: the object holding addr may be freed as soon as a goroutine takes
// the count and returns (a WaitGroup on the stack of a function that returns once wait() does).

// The number of goroutines parked on addr (tests; takes the bucket lock).
int sema_waiters(const std::uint32_t* addr);

}  // namespace goro::sync
