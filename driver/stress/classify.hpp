// What one failed run of goro stress was: its kind, its headline, the frames that name where it
// happened, and the signature runs are grouped by.
//
// The kinds, first match wins: a run that outlived -timeout is a "timeout" whatever it printed on
// the way out (the SIGQUIT dump, whose stacks say where it was stuck). Otherwise the earliest line
// of its output that is a runtime report names the kind:
//
//   WARNING: DATA RACE                               data race
//   WARNING: lock-order inversion ...                lock-order inversion
//   WARNING: stack use after return                  stack use after return
//   fatal error: all goroutines are asleep ...       deadlock
//   fatal error: partial deadlock ...                partial deadlock
//   panic: ...                                       panic
//   fatal error: ...                                 fatal error
//
// and without one, "signal" (killed by a signal) or "exit status" (any other non-zero status).
//
// Frames are read from the report's text, both shapes the runtime prints: a function line followed
// by an indented "file:line +0xOFF" line. The signature is the kind, the headline with its numbers
// masked (goroutine ids and addresses differ from seed to seed, the failure does not), and the top
// frames that are the program's own (goro:: and std:: frames are skipped): of a data race or an
// inversion, the top frame of each of its first two stacks, in either order (the same race seen
// from its other side is the same bug); of anything else, the top frame of the first stack that
// has one (a panic at one line is one bug, whichever goroutine got there; three frames are shown).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace goro::driver::stress {

struct frame {
  std::string function;
  std::string file;
  int line = 0;
};

// How a run ended, as waitpid and the timer saw it.
struct run_end {
  int exit_status = 0;  // when it exited
  int signal = 0;       // the signal that ended it; 0 when it exited
  bool timed_out = false;
  std::chrono::nanoseconds timeout{};  // the limit it outlived, for the headline
};

struct verdict {
  std::string kind;      // "data race", "deadlock", ..., "exit status"
  std::string headline;  // the report's first line, or "exit status 3", "killed by signal SIGSEGV"
  std::vector<frame> frames;
  std::string excerpt;    // a few lines of the output around the headline, each ending in '\n'
  std::string signature;  // equal for runs that failed the same way
};

// nullopt when the run passed (exit status 0 within the time limit).
std::optional<verdict> classify(const run_end& end, std::string_view output);

// A duration the way Go prints one: "10m0s", "1.5s", "250ms".
std::string format_duration(std::chrono::nanoseconds d);

}  // namespace goro::driver::stress
