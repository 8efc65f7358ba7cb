// Entry and exit of a goroutine's own code: see trampoline.cpp and proc.cpp.
#pragma once

#include "sched/context.hpp"

namespace goro::sched {

// Where a new goroutine's context starts (make_fcontext target); `from` is the jump that started
// it, from the scheduler stack or from a goroutine handing its M over.
void goroutine_entry(transfer_t from);

// Ends the current goroutine: switches to the scheduler, which frees it. Never returns.
[[noreturn]] void goexit();

}  // namespace goro::sched
