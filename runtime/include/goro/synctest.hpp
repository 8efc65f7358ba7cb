// Virtual time for tests (Go's testing/synctest): goroutines in a bubble share a fake clock that
// jumps to the next timer when every one of them is durably blocked, so a test of a 30 s timeout
// runs in microseconds and the same way every time.
//
// run(f) runs f in a new goroutine, the first of a bubble, and returns when every goroutine of the
// bubble has returned. Goroutines a member starts are members. Inside, goro::now(), sleep, after,
// after_func, Timer and Ticker keep to the bubble's clock, which starts at the same instant in
// every run (946,684,800 s on the steady clock: Go's 2000-01-01 00:00 UTC as a Unix time) and moves
// only when every member is durably blocked: then it jumps to the earliest timer of the bubble and
// fires every timer due at that instant.
//
// Durably blocked means blocked in a way only another member can end: sleep; a send, receive or
// select on channels all made inside the bubble (a nil channel included); Cond::wait;
// WaitGroup::wait. A member blocked on a Mutex or RWMutex, on the network, on a channel made
// outside the bubble, or inside goro::blocking, is not: the clock waits for it.
//
// wait() blocks its caller, a member, until every other member is durably blocked and every timer
// due at the current instant has fired: the moment to check what the others did, as time stands
// still.
//
// The clock stops when f returns (Go 1.25): run() then waits for the members still running, and a
// timer still armed never fires. When every member is durably blocked and the clock cannot move
// (no timer left, or f has returned), run() panics in its caller with "deadlock: all goroutines
// in bubble are blocked" (or "deadlock: main bubble goroutine has exited but blocked goroutines
// remain" once f has returned); the blocked members stay blocked. run() inside a bubble and wait()
// outside one panic too. A channel made in a bubble (a timer's too) belongs to it: a send,
// receive, close or select on it from outside the bubble is a fatal error ("send on synctest
// channel from outside bubble"), as in Go 1.25.
//
// Example:
//   goro::synctest::run([] {
//     auto start = goro::now();
//     goro::sleep(std::chrono::hours(1));          // returns at once in real time
//     assert(goro::now() - start == std::chrono::hours(1));
//   });
#pragma once

#include <functional>

#include "goro/time.hpp"

namespace goro::synctest {

// Runs f in a new bubble and waits for every goroutine of it to return. Call from a goroutine.
void run(std::function<void()> f);

// Waits until every other goroutine of the caller's bubble is durably blocked.
void wait();

}  // namespace goro::synctest
