// A synctest bubble: goroutines that share a fake clock which moves only when all of them are
// durably blocked (Go's testing/synctest). goro::synctest::run (synctest.cpp) makes one.
//
// Membership: the goroutine run() starts is in the bubble, and so is every goroutine a member
// starts (start_goroutine copies the parent's bubble), including after_func's goroutines (the
// timer fires with the bubble entered, below).
//
// Durably blocked: parked for a reason only the bubble itself can end (is_durable in bubble.cpp):
// sleep, Cond and WaitGroup waits, and channel operations and selects on channels made inside
// the bubble. A goroutine blocked on a Mutex, on I/O, on a channel from outside, or running
// goro::blocking is not: something outside may wake it at any time.
//
// Accounting, under the bubble's lock:
//   total    members alive;
//   running  members not durably blocked (running, runnable or blocked in a way that is not
//            durable);
//   active   members between deciding to park and having parked: park() counts the goroutine as
//            blocked before its commit callback runs (so that a waker that readies it at once
//            finds it counted), and only once the callback has run (a sleep's timer armed, a
//            channel waiter queued) may the clock move. Go's incActive/decActive. The root
//            counts too while it fires the timers of a new instant.
// The bubble is idle when running == 0 and active == 0: then the run() caller (the root, outside
// the bubble) is woken and moves the clock to the next timer, firing every timer due then; with
// no timer left, or once the main goroutine has returned (the clock stops then, as in Go 1.25), it
// panics (a deadlock in the bubble). synctest::wait() parks its caller until running == 1 (itself)
// and active == 0.
//
// Lock order: bubble.lock before the bubble's heap lock (the root reads the next timer under
// both); channel locks and semaphore buckets may be held when a hook takes bubble.lock, and
// ready() is called only after it is released.
#pragma once

#include <cstdint>

#include "sched/g.hpp"
#include "sched/runtime_lock.hpp"
#include "time/timer.hpp"

namespace goro::synctest {

// A new bubble's id: 1, 2, ...
std::uint64_t next_id();

struct bubble {
  // Unique for the process's life, never 0 (channels keep it: chan/chan.hpp).
  const std::uint64_t id = next_id();
  sched::runtime_lock lock;
  int total GORO_GUARDED_BY(lock) = 0;
  int running GORO_GUARDED_BY(lock) = 0;
  int active GORO_GUARDED_BY(lock) = 0;
  sched::G* main GORO_GUARDED_BY(lock) = nullptr;    // the goroutine run() started
  bool main_exited GORO_GUARDED_BY(lock) = false;    // ... has returned
  sched::G* root GORO_GUARDED_BY(lock) = nullptr;    // run()'s caller while it waits, else null
  sched::G* waiter GORO_GUARDED_BY(lock) = nullptr;  // a wait() caller while it waits, else null
  // The fake clock, in the steady clock's nanoseconds. Written by the root alone, while every
  // member is durably blocked; read by members (relaxed: the wake-up that lets a member run after
  // the clock moved orders the write before its read).
  std::atomic<std::int64_t> now{0};
  timers::timer_heap timers;  // the members' timers, fired by the root
};

// The bubble of the running goroutine, or nullptr (outside any, or not on a goroutine).
bubble* current();

inline std::uint64_t id_of(const bubble* b) { return b != nullptr ? b->id : 0; }

// The time a member sees: the bubble's clock, else the steady clock.
std::int64_t now_ns();

// Scheduler hooks; each is called only for a G whose `bubble` is set. parking and parked take the
// bubble apart: once the commit callback has run, g may be readied, run, exit and be reused
// elsewhere, so park reads g->bubble before it. The bubble outlives them: the root cannot finish
// while `active` counts a park in progress.
void started(sched::G* g);
void parking(bubble* b, sched::G* g);                  // before park's commit callback
void parked(bubble* b, sched::G* g, bool called_off);  // after it (called_off: no wait happened)
void readied(sched::G* g);
void exited(sched::G* g);

// The root has fired the timers due at the clock's new instant (it counted itself active for it).
void fired(bubble* b);

}  // namespace goro::synctest
