// The per-descriptor record behind netpoll.hpp's opaque poll_desc, shared by poll_desc.cpp
// (waiters, deadlines, the pool) and epoll.cpp (registration, events).
#pragma once

#include <atomic>
#include <cstdint>

#include "netpoll/netpoll.hpp"
#include "sched/runtime_lock.hpp"
#include "time/timer.hpp"

namespace goro::netpoll {

// The two deadline timers, allocated the first time a record gets a deadline and kept with it
// afterwards: most connections never have one, and an idle connection's memory is what counts.
struct deadline_timers {
  timers::timer read;
  timers::timer write;
};

struct poll_desc {
  int fd = -1;
  poll_desc* link = nullptr;  // the pool's free list

  // Waiter slots (poll_desc.cpp explains the states).
  std::atomic<std::uintptr_t> rg{0};
  std::atomic<std::uintptr_t> wg{0};

  // Written under lock, read anywhere. Deadlines: 0 none, -1 passed, else monotonic ns.
  std::atomic<bool> closing{false};
  std::atomic<std::int64_t> rd{0};
  std::atomic<std::int64_t> wd{0};
  // Matched against the epoll event's tag: bumped at every registration, so an event for the
  // descriptor this record served before is dropped.
  std::atomic<std::uint16_t> fdseq{0};

  sched::runtime_lock lock;
  // Bumped (under lock) at every deadline change and at close; a deadline timer armed under an
  // older value is stale.
  std::uint64_t rseq GORO_GUARDED_BY(lock) = 0;
  std::uint64_t wseq GORO_GUARDED_BY(lock) = 0;
  deadline_timers* timers GORO_GUARDED_BY(lock) = nullptr;
};

// epoll.cpp: add / remove the descriptor in the epoll instance (errno set on failure).
bool register_fd(poll_desc* pd);
void unregister_fd(poll_desc* pd);

// poll_desc.cpp: takes the goroutine waiting in slot m (or records readiness when io_ready and
// nobody waits). Returns the G to make runnable, if any.
sched::G* unblock(poll_desc* pd, mode m, bool io_ready);

}  // namespace goro::netpoll
