// GORODEBUG: the runtime's debugging switches, comma-separated key=value pairs as Go's GODEBUG.
// Read once, when the runtime starts; unknown keys are ignored (as Go does, so a setting meant for
// a newer runtime does no harm), a known key with a value it does not take is a start-up error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace goro::debug {

// partialdeadlock: what a wait-for cycle among goroutines' locks does (sync/lock_wait.cpp).
enum class partial_deadlock_mode : std::uint8_t { off, warn, fatal };

struct godebug_settings {
  partial_deadlock_mode partial_deadlock = partial_deadlock_mode::fatal;
  bool leakcheck = false;  // leakcheck=1: report goroutines still blocked when main returns
  int leakcheck_exit = 0;  // leakcheckexit=N: the exit status of a run whose leak check reported
  // schedseed=N: every scheduling choice from a generator seeded with N (sched/seeded.cpp).
  bool sched_seeded = false;
  std::uint64_t sched_seed = 0;
  // pct=D (with schedseed): PCT priorities with D-1 priority change points; 0 when off.
  int pct_depth = 0;
  // trace=FILE: record an execution trace and write it to FILE at exit (trace/trace.hpp).
  std::string trace_path;
};

// The most PCT change points a run takes: depth D makes D-1 of them.
inline constexpr int kMaxPctDepth = 16;

// The settings in force. Valid from the start of goro::run (the defaults before).
const godebug_settings& godebug();

// Parses GORODEBUG; a fatal error names the bad pair. Called once, by the scheduler's start-up
// (sched::init_once), before the first P or goroutine exists: the seed decides GOMAXPROCS.
void load_godebug();

// The parser itself (tests): fills *out from text, or returns the error message.
std::string_view parse_godebug(std::string_view text, godebug_settings* out);

}  // namespace goro::debug
