// The ways the runtime ends a program on an unrecoverable error, each printing Go's wording on
// stderr and exiting with status 2. All of them build their reports on a system stack, never on
// a 64 KiB goroutine stack, which may have overflowed (fatal_plain builds none: it writes its
// pieces).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace goro::sched {
struct G;
}

namespace goro::debug {

// "fatal error: <msg>" and exit 2, with no goroutine dump (start-up errors, before scheduling).
[[noreturn]] void fatal_plain(std::string_view msg);

// "fatal error: <msg>", a blank line, the current goroutine (running) and every other one; exit 2.
[[noreturn]] void fatal(std::string_view msg);

// "fatal error: all goroutines are asleep - deadlock!" and every goroutine; exit 2.
[[noreturn]] void fatal_deadlock();

// Fatal reports built elsewhere: begin_report() first (only one thread reports; a second one waits
// here for the exit), then fatal_report() writes `text` ("fatal error: ..." and the goroutines it
// is about) and every other goroutine (not in shown[0, n)), and exits 2. Both run on the calling
// stack, which must be a scheduler or system stack.
void begin_report();
[[noreturn]] void fatal_report(std::string_view text, sched::G* const* shown, std::size_t n);

// A report the program survives (a warning) is being written between these two calls.
void begin_warning();
void end_warning();

// The program is about to exit on its own: waits until the warnings being written are out, and if
// another thread is writing a fatal report, for the exit that report makes instead (so that main
// returning cannot cut a report short).
void wait_for_report();

// A signal's report is on its way (SIGQUIT: the handler has woken the reporter thread, which may
// not have begun it yet): from now on wait_for_report waits for its exit too. Async-signal-safe.
void signal_report_coming();

// "fatal error: stack overflow in goroutine N", detected when g switched out; exit 2.
[[noreturn]] void fatal_stack_overflow(sched::G* g);

// "panic: <msg>" (plus an optional second line such as Go's "[signal SIGSEGV ...]"), a blank line,
// the panicking goroutine with the given stack (pcs[0] innermost); exit 2.
[[noreturn]] void die_with_panic(std::string_view msg, std::string_view detail,
                                 const std::uintptr_t* pcs, std::size_t n);
// The same, for the exception being handled: describe() gives <msg>, and runs on the system stack
// (a description builds strings, perhaps with the program's own instrumented copies of their
// members, whose stack checks must not run on a goroutine stack near its end).
[[noreturn]] void die_with_panic(std::string (*describe)(), const std::uintptr_t* pcs,
                                 std::size_t n);

// Go's throw for a memory fault away from address 0: "unexpected fault address 0x<addr>",
// "fatal error: fault", the detail line ("[signal SIGSEGV ...]"), a blank line, the faulting
// goroutine with the given stack (pcs[0] innermost) and every other one; exit 2.
[[noreturn]] void die_with_fault(std::uintptr_t addr, std::string_view detail,
                                 const std::uintptr_t* pcs, std::size_t n);

// Writes all of text to stderr (fd 2), retrying short writes; never allocates.
void write_stderr(std::string_view text);

// Flushes stdout and stderr if no other thread holds their locks (an exiting program must not
// hang).
void flush_stdio_best_effort();

}  // namespace goro::debug
