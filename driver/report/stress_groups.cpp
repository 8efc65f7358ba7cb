// goro stress's failure groups: which reports they are, in what order, and how they are named.
#include "stress_groups.hpp"

#include <algorithm>

#include "../stress/kinds.hpp"
#include "races.hpp"

namespace goro::driver::report {

std::vector<const race_report*> stress_groups(const std::vector<race_report>& reports) {
  std::vector<const race_report*> groups;
  for (const race_report& r : reports) {
    if (r.kind == report_kind::stress_failure) groups.push_back(&r);
  }
  std::stable_sort(groups.begin(), groups.end(), [](const race_report* a, const race_report* b) {
    return a->stress.runs > b->stress.runs;
  });
  return groups;
}

bool has_frame_pair(const stress_group& g) {
  return stress::is_pair_kind(g.kind) && g.frames.size() >= 2;
}

std::span<const frame> located_frames(const stress_group& g) {
  return std::span(g.frames).first(has_frame_pair(g) ? 2
                                                     : std::min<std::size_t>(g.frames.size(), 1));
}

std::string failed_runs(const stress_group& g) {
  return std::to_string(g.runs) + " of " + std::to_string(g.of) + (g.of == 1 ? " run" : " runs") +
         " failed";
}

std::string stress_label(const stress_group& g) {
  std::string where;
  for (const frame& f : located_frames(g)) {
    if (!where.empty()) where += " <-> ";
    where += source_location{false, f.file, f.line, f.function}.label();
  }
  return "stress failure (" + g.kind + "): " + (where.empty() ? g.headline : where);
}

}  // namespace goro::driver::report
