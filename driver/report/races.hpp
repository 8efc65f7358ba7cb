// Distinct races: reports grouped by the pair of source locations that race, the unit `summary`,
// `sarif` and `junit` count in.
//
// A location is the top frame of an access's stack (function, file and line); the pair is
// unordered, since which access comes first depends on scheduling. A previous access whose stack
// could not be restored has the unknown location, so such reports group by the current access
// alone. This is the runtime's own rule for reporting a race once, applied across runs and files.
//
// Example:
//   for (const distinct_race& race : distinct_races(reports))
//     std::printf("%zu  %s\n", race.reports.size(), race.label().c_str());
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <vector>

#include "race_report.hpp"

namespace goro::driver::report {

struct source_location {
  bool unknown = true;  // first, so known locations sort before the unknown one
  std::string file;
  std::uint64_t line = 0;
  std::string function;

  auto operator<=>(const source_location&) const = default;

  // "file:line function"; "function" alone without a file; "[stack not restored]" when unknown.
  std::string label() const;
};

// The top frame of the access's stack; unknown when the stack is empty.
source_location top_location(const access& a);

struct distinct_race {
  report_kind kind = report_kind::data_race;  // reports of different kinds never group together
  source_location first;                      // the pair's two locations, first <= second
  source_location second;
  std::vector<const race_report*> reports;  // in input order; the first stands for the race

  // "first.label() <-> second.label()": the same text for the same race in every output; a
  // lock-order inversion's starts with "lock-order inversion: " (its pair: where the cycle's first
  // and last locks were taken).
  std::string label() const;
};

// The distinct races of `reports`, most often reported first (ties by location); goro stress's
// failure groups are not among them (stress_groups.hpp). The result points into `reports`.
std::vector<distinct_race> distinct_races(const std::vector<race_report>& reports);

}  // namespace goro::driver::report
