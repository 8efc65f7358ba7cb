// The netpoller: goroutines park on file descriptors and an epoll instance wakes them (Go's
// netpoll.go). One edge-triggered registration per descriptor, made when it is opened; a goroutine
// whose non-blocking call returned EAGAIN parks on the descriptor's read or write slot until epoll
// reports the descriptor ready, a deadline passes or the descriptor is closed.
//
// The scheduler polls in three places (proc.cpp): an M out of local and global work polls without
// blocking before it steals; the last M to go idle blocks in poll() until the earliest timer is due
// (it is also the timer sleeper: break_poll() wakes it for an earlier timer); sysmon polls when
// nobody has for 10 ms.
#pragma once

#include <atomic>
#include <cstdint>

#include "sched/g.hpp"

namespace goro::netpoll {

enum class mode : std::uint8_t { read, write };

// Why a wait or a prepare failed.
enum class status : std::uint8_t { ok, closing, timeout };

struct poll_desc;

// Registers fd (non-blocking) with the netpoller. Returns nullptr and sets errno on failure.
poll_desc* open(int fd);
// Unregisters; the descriptor must have been evicted and have no waiter left. The caller closes fd
// afterwards (a stale event for a reused descriptor is recognised and dropped).
void close(poll_desc* pd);
// Marks the descriptor closing and wakes its waiters: every wait and prepare fails with `closing`.
void evict(poll_desc* pd);

// Before an I/O attempt: fails if the descriptor is closing or the mode's deadline has passed,
// otherwise forgets a readiness seen before (the attempt itself will tell).
status prepare(poll_desc* pd, mode m);
// After the attempt returned EAGAIN: parks the goroutine (outside a goroutine, the thread waits)
// until the descriptor is ready for m, closing, or past the mode's deadline.
status wait(poll_desc* pd, mode m);

// Deadlines in monotonic nanoseconds (timers::now_ns): 0 = none; a time already passed makes
// current and future waits fail with `timeout` until the deadline is moved.
void set_deadline(poll_desc* pd, std::int64_t when, bool read, bool write);

// --- scheduler side

// Creates the epoll instance and its wake-up eventfd (idempotent; run() calls it).
void init();
bool initialized();
// Waits up to delay_ns (< 0: until woken, 0: do not block) for descriptors to become ready; returns
// the goroutines that waited for them. Only one thread blocks at a time (the scheduler's rule).
sched::g_queue poll(std::int64_t delay_ns);
// Wakes a blocked poll() (a no-op if a wake-up is already pending).
void break_poll();

}  // namespace goro::netpoll
