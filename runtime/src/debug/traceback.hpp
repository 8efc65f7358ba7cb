// Stack walking and Go-shaped tracebacks: collecting return addresses (a parked goroutine's
// frame-pointer chain, or the calling thread's stack through the unwinder) and printing them as Go
// prints a goroutine's stack, runtime frames hidden. Shared by goroutine dumps, panics and race
// reports.
//
// Example (a dump of a parked goroutine g whose stack spans [lo, hi)):
//   std::uintptr_t pcs[kTracebackSlots];
//   std::size_t n = walk_frame_pointers(g->park_pc, g->park_fp, lo, hi, pcs, kTracebackSlots);
//   std::string out = "goroutine 7 [chan receive]:\n";
//   append_traceback(out, pcs, n);
//   append_created_by(out, g->create_pc, g->parent_goid);
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "debug/symbolize.hpp"

namespace goro::debug {

// Walks a frame-pointer chain (x86-64: [fp] = the caller's fp, [fp+8] = the return address into the
// caller) from a saved (pc, fp) pair; pc is stored first. Stops when fp leaves [lo, hi), is
// misaligned, or fails to strictly increase, at a zero return address, or after max pcs. Reads
// nothing outside [lo, hi), so a corrupt chain cannot fault. Returns the number of pcs written.
std::size_t walk_frame_pointers(std::uintptr_t pc, std::uintptr_t fp, std::uintptr_t lo,
                                std::uintptr_t hi, std::uintptr_t* out, std::size_t max);

// The calling thread's stack through the DWARF unwinder (_Unwind_Backtrace), which also crosses
// code without frame pointers (libstdc++'s __cxa_throw, std::terminate). out[0] is the return
// address into current_stack's caller when skip is 0; skip drops that many more innermost frames.
// Returns the count.
std::size_t current_stack(std::uintptr_t* out, std::size_t max, int skip);

// True for a frame of the runtime itself, hidden from tracebacks: functions in goro::detail::,
// goro::debug::, goro::sched::, goro::internal::, goro::stack::, goro::race::, boost::context::,
// the C++ ABI and unwinder (__cxa_*, __gxx_*, _Unwind_*, __cxxabiv1::, std::terminate), the
// fcontext switch and thread start (jump_fcontext, make_fcontext, start_thread, clone, _start,
// __libc_start*) and the race hooks (__goro_*). A function template's return type is skipped:
// "void goro::detail::f<int>()" is one. Public API frames such as "goro::chan<int>::recv() const"
// stay visible.
bool is_runtime_frame(std::string_view function);

// Removes from a stack (innermost first) what a traceback does not show. A user frame is one that
// is not the runtime's, not in std:: or __gnu_cxx::, not named with a reserved "__" prefix and not
// "??" (unless no frame at all is a named user frame: then "??" frames are taken to be the user's).
//  - At the top: every frame up to and including the last runtime frame before the first user
//    frame, which takes along the library glue between runtime frames.
//  - At the bottom: the frames below the last user frame, if a runtime frame is among them (a
//    goroutine's entry trampoline and the std::invoke glue that calls the user's function).
//  - Every other runtime frame.
// An unnamed outermost frame below a named user frame counts as a runtime frame: a thread's start
// inside a library without symbols (libstdc++'s routine that runs a std::thread's function).
void drop_runtime_frames(std::vector<const frame*>& frames);

// For a stack that shows where a goroutine or thread was created, after drop_runtime_frames: drops
// the library frames above the first user frame (std::thread's constructor and the libstdc++ call
// under it, std::async's layers), so that the stack starts at the user's call as Go's "created
// by" does. A stack without a user frame stays whole.
void drop_creation_glue(std::vector<const frame*>& frames);

// The frames a traceback of pcs shows: symbolized, inlined frames expanded, runtime frames dropped.
// The pointers refer to the symbol cache and stay valid for the life of the process.
std::vector<const frame*> visible_frames(const std::uintptr_t* pcs, std::size_t n);

// Go prints at most this many frames of a stack, then "...additional frames elided...". Stacks are
// collected into kTracebackSlots pcs: a walk that fills them all had more frames than are shown.
constexpr std::size_t kTracebackFrames = 100;
constexpr std::size_t kTracebackSlots = kTracebackFrames + 1;

// Appends Go's traceback text for pcs (innermost first), for each visible frame:
//   "<function>\n\t<file>:<line> +0x<offset>\n"
// with file "??" and line 0 when unknown, and "??\n\t??:0 pc=0x<pc>\n" for a frame nothing could
// name. Past kTracebackFrames pcs, the rest are left out and "...additional frames elided...\n"
// says so.
void append_traceback(std::string& out, const std::uintptr_t* pcs, std::size_t n);

// Appends Go's "created by" lines for a goroutine created at return address pc by goroutine
// parent_goid:
//   "created by <function> in goroutine <parent_goid>\n\t<file>:<line> +0x<offset>\n"
// without " in goroutine ..." when parent_goid is 0, and nothing at all when pc is 0 (the main
// goroutine has no creator). pc must be a return address into the function that wrote the go
// statement.
void append_created_by(std::string& out, std::uintptr_t pc, std::int64_t parent_goid);

}  // namespace goro::debug
