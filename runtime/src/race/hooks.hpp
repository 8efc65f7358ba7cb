// Scheduler → race detector hooks (ARCHITECTURE.md, "Where the detector meets the runtime").
// In the plain runtime (GORO_RACE=0) each compiles to nothing; the race runtime links the detector's
// implementations.
#pragma once

#include <cstdint>

namespace goro::sched {
struct G;
}

namespace goro::race {

#if GORO_RACE
void go_start(sched::G* parent, sched::G* child, std::uintptr_t create_pc);
void go_end(sched::G* g);
void switch_in(sched::G* g);
void switch_out(sched::G* g);
void stack_reused(std::uintptr_t lo, std::uintptr_t hi);
#else
inline void go_start(sched::G*, sched::G*, std::uintptr_t) {}
inline void go_end(sched::G*) {}
inline void switch_in(sched::G*) {}
inline void switch_out(sched::G*) {}
inline void stack_reused(std::uintptr_t, std::uintptr_t) {}
#endif

}  // namespace goro::race
