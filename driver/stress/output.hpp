// goro stress's results: the text a person reads, and JSON lines for `goro report`.
//
// The text, on standard output:
//
//   goro stress: 1000 runs, 37 failed: 2 kinds of failure, seeds 1..1000
//
//   data race: 35 of 1000 runs (first: seed 17)
//     WARNING: DATA RACE
//     at deposit(int) /src/bank.cpp:12
//        audit() /src/bank.cpp:30
//     reproduce: GORODEBUG=schedseed=17 ./bank --accounts 2
//     output: /tmp/goro-stress-ab12/seed-17.log
//       | ==================
//       | WARNING: DATA RACE
//       | ...
//
// The JSON lines are the `stress_failure` lines of docs/report-format.md, one per group, most
// runs first.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "groups.hpp"
#include "setting.hpp"

namespace goro::driver::stress {

struct session {
  std::string program;  // PROG as typed
  std::uint64_t asked = 0;
  std::uint64_t made = 0;  // runs that ran to their end
  std::uint64_t seed_from = 0;
  int pct = 0;
  bool interrupted = false;
};

// The seed of run `index`: seeds are consecutive from seed_from, wrapping at 2^64.
inline std::uint64_t seed_of(const session& s, std::uint64_t index) { return s.seed_from + index; }

void print_text(std::FILE* out, const session& s, const run_setting& setting,
                const failure_groups& groups);

// One JSON line per group, each ending in '\n'.
std::string json_lines(const session& s, const run_setting& setting, const failure_groups& groups);

}  // namespace goro::driver::stress
