// goro stress's failure groups (stress_failure lines) as every output lists them.
//
// goro stress grouped its failed runs already, by a signature the line does not carry (the kind,
// the headline with its numbers masked, the top frames), so each line is one group: groups are
// never merged, neither with each other nor with the distinct races (races.hpp), and every output
// lists them after the races, most failed runs first (ties in input order).
//
// A group is located by its frames: of a data race or a lock-order inversion, both of them (goro
// stress's pair, the top frame of each of the two stacks); of any other kind, the first (where the
// program's own code failed); of a group without frames (a signal, an exit status), nowhere, and
// its headline names it instead.
//
// Example:
//   for (const race_report* g : stress_groups(reports))
//     out += std::to_string(g->stress.runs) + "  " + stress_label(g->stress) + "\n";
#pragma once

#include <span>
#include <string>
#include <vector>

#include "race_report.hpp"

namespace goro::driver::report {

// The stress_failure reports of `reports`, most failed runs first (ties in input order). The
// result points into `reports`.
std::vector<const race_report*> stress_groups(const std::vector<race_report>& reports);

// Whether the group's frames are a pair, the top frames of two stacks (a data race, a lock-order
// inversion), rather than frames of one stack.
bool has_frame_pair(const stress_group& g);

// The frames that locate the group: both of a pair, else the first; empty without frames.
std::span<const frame> located_frames(const stress_group& g);

// "35 of 1000 runs failed" ("1 of 1 run failed").
std::string failed_runs(const stress_group& g);

// "stress failure (KIND): LOCATION", with "LOCATION <-> LOCATION" for a pair and the headline
// for a group without frames; a location is races.hpp's "file:line function". The same text in
// every output.
std::string stress_label(const stress_group& g);

}  // namespace goro::driver::report
