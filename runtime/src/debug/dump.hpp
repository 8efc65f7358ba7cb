// Goroutine dumps in Go's format: "goroutine N [state]:", the stack, "created by ... in goroutine
// M". Shared by fatal errors, deadlock reports, panics and SIGQUIT.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace goro::sched {
struct G;
}

namespace goro::debug {

// Appends g's header and stack. `pcs`/`n`: the stack when g is the calling goroutine (running
// here); otherwise pass n = 0 and the stack is walked from where g parked (or is reported
// unavailable if it is running on another thread).
void append_goroutine(std::string& out, sched::G* g, const std::uintptr_t* pcs, std::size_t n);

// Writes every live goroutine except `skip` to stderr, each preceded by a blank line.
void write_other_goroutines(sched::G* skip);

// The same, leaving out every goroutine in skip[0, n).
void write_goroutines_except(sched::G* const* skip, std::size_t n);

}  // namespace goro::debug
