// The leak check: goroutines still alive when main returns (GORODEBUG=leakcheck=1) or when a test
// calls goro::leakcheck(), grouped by where they were created and how they wait.
#pragma once

namespace goro::sched {
struct G;
}

namespace goro::debug {

// Writes the report for every live goroutine but `self` on stderr (nothing if there is none) and
// returns how many there were. Runs on a system or scheduler stack.
int leak_report(sched::G* self);

}  // namespace goro::debug
