// Starting other programs: PATH lookup, replacing the driver with clang, running a child to
// completion.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace goro::driver {

// The executable `name` resolves to: itself if it contains a '/', else the first match on $PATH.
std::optional<std::string> find_program(std::string_view name);

// Replaces this process with argv[0] (a path), so its exit status and diagnostics are the caller's.
// Returns only by throwing `failure` when exec fails.
[[noreturn]] void exec_program(const std::vector<std::string>& argv);

// Runs argv[0] (a path) with the driver's stdio and environment and waits for it. Returns its exit
// status, or 128 + the signal number when a signal ended it (as a shell reports it).
//
// While the child runs, SIGINT and SIGQUIT do not end the driver: the terminal delivers them to the
// whole foreground group, the child decides (a goro program dumps its goroutines on SIGQUIT), and
// the driver stays to clean up. SIGTERM and SIGHUP sent to the driver alone are passed on to the
// child.
int run_program(const std::vector<std::string>& argv);

}  // namespace goro::driver
