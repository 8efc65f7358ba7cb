// Entry and exit of a goroutine's own code: see trampoline.cpp and proc.cpp.
#pragma once

#include "sched/context.hpp"

namespace goro::sched {

// Where a new goroutine's context starts (make_fcontext target).
void goroutine_entry(transfer_t from_scheduler);

// Ends the current goroutine: switches to the scheduler, which frees it. Never returns.
[[noreturn]] void goexit();

}  // namespace goro::sched
