// Grouping reports into distinct races by their unordered pair of top-frame locations.
#include "races.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

namespace goro::driver::report {

std::string source_location::label() const {
  if (unknown) return "[stack not restored]";
  if (file.empty()) return function;
  return file + ":" + std::to_string(line) + " " + function;
}

source_location top_location(const access& a) {
  if (a.stack.empty()) return {};
  const frame& top = a.stack.front();
  return {false, top.file, top.line, top.function};
}

std::string distinct_race::label() const {
  std::string pair = first.label() + " <-> " + second.label();
  switch (kind) {
    case report_kind::lock_order_inversion:
      return "lock-order inversion: " + pair;
    case report_kind::partial_deadlock:
      return "partial deadlock: " + pair;
    case report_kind::data_race:
    case report_kind::stress_failure:  // never a distinct race
      break;
  }
  return pair;
}

std::vector<distinct_race> distinct_races(const std::vector<race_report>& reports) {
  std::map<std::tuple<report_kind, source_location, source_location>, distinct_race> by_pair;
  for (const race_report& r : reports) {
    if (r.kind == report_kind::stress_failure) continue;  // already a group (stress_groups.hpp)
    const source_location current = top_location(r.current);
    const source_location previous = top_location(r.previous);
    const auto [low, high] = std::minmax(current, previous);
    distinct_race& race = by_pair[{r.kind, low, high}];
    race.kind = r.kind;
    race.first = low;
    race.second = high;
    race.reports.push_back(&r);
  }
  std::vector<distinct_race> races;
  races.reserve(by_pair.size());
  for (auto& [pair, race] : by_pair) races.push_back(std::move(race));
  // The map is ordered by location, so a stable sort by count leaves ties in location order.
  std::stable_sort(races.begin(), races.end(), [](const distinct_race& a, const distinct_race& b) {
    return a.reports.size() > b.reports.size();
  });
  return races;
}

}  // namespace goro::driver::report
