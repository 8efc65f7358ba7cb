// Running one program many times, a bounded number at once: goro stress's process pool.
//
// Every run is a child process with its own environment, its stdout and stderr going to one file
// (the runtime's reports are on stderr, and what the program printed before them explains them),
// and stdin from /dev/null. Each child leads its own process group, so the Ctrl-C a terminal sends
// to its foreground group reaches the driver alone: the runs it would kill are not failures, and
// the driver stops them itself. A run that outlives the timeout gets SIGQUIT (a goro program then
// prints every goroutine's stack and exits) and, if it is still there kTimeoutGrace later,
// SIGKILL, sent to its group so nothing it started stays behind.
//
// The pool is a single-threaded loop around sigtimedwait: SIGCHLD says a child ended, the timeout
// is the nearest deadline, SIGINT, SIGTERM, SIGHUP and SIGQUIT say stop. Threads (a hand-written
// pool or Intel TBB's) would each sit in a blocking waitpid and add nothing: the work is in the
// children, and one loop sees every event in order with no locks.
//
// Example:
//   pool_plan plan{"/usr/bin/prog", {"prog", "-v"}, "/tmp/goro-stress-x", std::chrono::seconds(30),
//   4}; bool complete = run_pool(plan, 1000, [](std::uint64_t i) { return run_spec{env_for(i),
//   name(i)}; },
//                            [](const finished_run& r) { ... }, [] { redraw_progress(); });
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "classify.hpp"

namespace goro::driver::stress {

// How long a run that got SIGQUIT at its timeout has to print its goroutines before SIGKILL.
inline constexpr std::chrono::seconds kTimeoutGrace{5};

struct pool_plan {
  std::string path;               // the executable, resolved
  std::vector<std::string> argv;  // argv[0] as the user typed it, then the arguments
  std::string output_dir;         // where the runs write their output
  std::chrono::nanoseconds timeout;
  std::uint64_t parallel;
};

// Run i: its environment ("KEY=VALUE" strings) and the name of its output file in output_dir.
struct run_spec {
  std::vector<std::string> env;
  std::string output_name;
};

struct finished_run {
  std::uint64_t index;  // 0 .. runs-1
  run_end end;
  std::string output_path;  // the caller keeps or removes it
};

// Runs runs 0..runs-1 of `plan`, run i as spec_for(i) says, and calls on_finished as each ends, in
// the order they end. on_tick is called at least every quarter second while runs are going. Returns
// false when a signal stopped it: the runs still going were killed, their results dropped. Throws
// `failure` when a process cannot be started at all.
bool run_pool(const pool_plan& plan, std::uint64_t runs,
              const std::function<run_spec(std::uint64_t)>& spec_for,
              const std::function<void(const finished_run&)>& on_finished,
              const std::function<void()>& on_tick);

}  // namespace goro::driver::stress
