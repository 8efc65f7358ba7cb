// goro report summary: how often each distinct race was reported, across all runs and files read.
//
//   3  answer.cpp:39 load_answer(int const*) <-> answer.cpp:26 store_answer(int*)
//   1  counter.cpp:12 increment(int*) <-> counter.cpp:12 increment(int*)
//   4 reports, 2 distinct races in 2 files
//
// One line per race, most reported first (ties in location order): the count, right-aligned, two
// spaces and races.hpp's label of the pair. The last line totals the reports, the distinct races
// and the source files those races are in (the files of their locations, after --strip), so
// "0 reports, 0 distinct races in 0 files" is all an empty input shows. Lock-order inversions are
// listed the same way (their label starts "lock-order inversion: ") and, when there are any,
// counted apart: "3 reports, 1 distinct race, 1 distinct lock-order inversion in 2 files".
//
// goro stress's failure groups follow the races, one line each, counted by their failed runs:
//
//   35  stress failure (data race): a.cpp:12 f(int) <-> a.cpp:30 g() (of 1000 runs)
//    2  stress failure (exit status): exit status 1 (of 1000 runs)
//   2 reports, 0 distinct races, 2 stress failure groups in 1 file
#include <algorithm>
#include <set>

#include "outputs.hpp"
#include "races.hpp"
#include "stress_groups.hpp"

namespace goro::driver::report {
namespace {

std::string counted(std::size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

}  // namespace

std::string render_summary(const std::vector<race_report>& reports) {
  const std::vector<distinct_race> races = distinct_races(reports);
  const std::vector<const race_report*> groups = stress_groups(reports);
  std::size_t width = races.empty() ? 0 : std::to_string(races.front().reports.size()).size();
  for (const race_report* g : groups) {
    width = std::max(width, std::to_string(g->stress.runs).size());
  }
  auto line = [&](std::size_t n, const std::string& text) {
    std::string count = std::to_string(n);
    count.insert(0, width - count.size(), ' ');
    return count + "  " + text + "\n";
  };
  std::string out;
  for (const distinct_race& race : races) out += line(race.reports.size(), race.label());
  for (const race_report* g : groups) {
    out += line(g->stress.runs,
                stress_label(g->stress) + " (of " + counted(g->stress.of, "run") + ")");
  }
  std::set<std::string> files;
  for (const distinct_race& race : races) {
    for (const source_location* where : {&race.first, &race.second}) {
      if (!where->unknown && !where->file.empty()) files.insert(where->file);
    }
  }
  for (const race_report* g : groups) {
    for (const frame& f : located_frames(g->stress)) {
      if (!f.file.empty()) files.insert(f.file);
    }
  }
  auto of_kind = [&](report_kind kind) {
    return static_cast<std::size_t>(std::count_if(
        races.begin(), races.end(), [kind](const distinct_race& r) { return r.kind == kind; }));
  };
  const std::size_t inversions = of_kind(report_kind::lock_order_inversion);
  const std::size_t deadlocks = of_kind(report_kind::partial_deadlock);
  out += counted(reports.size(), "report") + ", " +
         counted(races.size() - inversions - deadlocks, "distinct race");
  if (inversions > 0) out += ", " + counted(inversions, "distinct lock-order inversion");
  if (deadlocks > 0) out += ", " + counted(deadlocks, "distinct partial deadlock");
  if (!groups.empty()) out += ", " + counted(groups.size(), "stress failure group");
  out += " in " + counted(files.size(), "file") + "\n";
  return out;
}

}  // namespace goro::driver::report
