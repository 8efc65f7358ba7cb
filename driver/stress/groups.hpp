// goro stress's failures, grouped by signature (classify.hpp), and the output files worth keeping.
//
// Of each group the run with the smallest index is "the first": its seed is the one printed, and
// its output file the one kept (the others are removed as they come). Runs end in any order when
// several go at once, so a later-ending run with a smaller index takes over; the result is then
// the same for a given range of seeds whatever -p was.
//
// Example:
//   failure_groups groups;
//   if (groups.add(i, *classify(end, text), path)) announce(i);
//   for (const failure_group* g : groups.by_count()) print(*g);
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "classify.hpp"

namespace goro::driver::stress {

struct failure_group {
  verdict first;              // the first run's verdict
  std::uint64_t first_index;  // the first run
  std::uint64_t runs = 0;     // how many runs failed this way
  std::string output_path;    // the first run's output, kept
};

class failure_groups {
 public:
  // Counts a failed run. Keeps output_path when the run is its group's first (removing the file
  // it replaces), removes it otherwise. Returns true when the run's signature was new.
  bool add(std::uint64_t index, verdict v, const std::string& output_path);

  // Most runs first; ties by first run.
  std::vector<const failure_group*> by_count() const;

  std::uint64_t failed_runs() const { return failed_runs_; }
  std::size_t size() const { return groups_.size(); }

 private:
  std::map<std::string, failure_group> groups_;  // by signature
  std::uint64_t failed_runs_ = 0;
};

}  // namespace goro::driver::stress
