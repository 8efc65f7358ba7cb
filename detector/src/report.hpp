// Race reports (and lock-order inversion reports): Go's text on stderr (or GORACE log_path), JSON
// lines for `goro report` (json_path), deduplication, suppressions, the summary at exit. The text
// shape is SPEC.md's; the JSON schema is in docs/report-format.md.
#pragma once

#include <cstddef>
#include <cstdint>

#include "shadow.hpp"

namespace goro::race {

struct context;

// A race between the current access `cur` (made by c at pc) and the earlier one `old` on the 8-byte
// word at `word`. Never returns if GORACE halt_on_error=1.
void report_race(context* c, std::uintptr_t word, raw_cell cur, raw_cell old, std::uintptr_t pc);

// c's access `cur` at pc overlaps `marker`, the marker of a stack variable that has died
// (stack_lifetime.hpp), in a stack that is not c's: a stack use after return. Reported once per
// place of use. Never returns if GORACE halt_on_error=1.
void report_after_return(context* c, std::uintptr_t word, raw_cell cur, raw_cell marker,
                         std::uintptr_t pc);

// A new lock-order edge closed `cycle` (lock_order.cpp): reported once per cycle of source
// locations. Never returns if GORACE halt_on_error=1.
void report_lock_order(context* c, const struct lock_cycle& cycle);

// Reports printed so far (deduplicated and suppressed ones not counted).
std::size_t races_found();
// Lock-order inversions reported so far.
std::size_t inversions_found();
// Stack uses after return reported so far.
std::size_t after_returns_found();

// End of the program: prints "Found N data race(s)" if N > 0, then "Found M lock-order
// inversion(s)" and "Found K stack use(s) after return" likewise, and returns the exit status to
// use (GORACE exitcode if anything was found, else code). Idempotent.
int finish(int code);

// Loads GORACE suppressions (start-up); dies with a message if the file cannot be read.
void load_suppressions();

// Creates the GORACE json_path file (start-up), so that a run without races leaves an empty file
// for `goro report`; dies with a message if it cannot be opened. Existing content is kept: runs
// append.
void open_json_output();

// Tests: reports go to fd instead of the configured log (-1: back to the configuration), and the
// count restarts.
void set_report_fd_for_testing(int fd);
void reset_races_for_testing();

}  // namespace goro::race
