// The race hooks of every goroutine switch, inline in the scheduler (sched/proc.cpp, their only
// caller): g begins running on this M's thread (switch_in) / stops running there (switch_out).
// As calls into the detector they cost about as much as the work inside them: inlined, the race
// build's yield at GOMAXPROCS=1 went from 1.16 to 1.10 of the plain build's time. The race build
// takes the detector's definitions (detector/src/goroutine_switch.hpp, on the race runtime's
// include path); the plain build's do nothing.
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
