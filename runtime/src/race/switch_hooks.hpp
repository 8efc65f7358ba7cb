// The race hooks of every goroutine switch, inline in the scheduler (sched/proc.cpp, their only
// caller): g begins running on this M's thread (switch_in) / stops running there (switch_out).
// As calls into the detector they cost the race build as much again as their work: a yield at
// GOMAXPROCS=1 went from 7% slower than the plain build's to 14%. The race build takes the
// detector's definitions (detector/src/goroutine_switch.hpp, on the race runtime's include path);
// the plain build's do nothing.
#pragma once

#if GORO_RACE
#include "goroutine_switch.hpp"
#else
namespace goro::sched {
struct G;
}

namespace goro::race {
inline void switch_in(sched::G*) {}
inline void switch_out(sched::G*) {}
}  // namespace goro::race
#endif
