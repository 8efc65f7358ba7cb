// Source lines around a reported line, for `goro report view`. A report is often read where it
// was made, or in a checkout of the same sources, so the file is looked for by its name as shown
// (relative to the working directory once --strip made it relative) and then with the stripped
// prefix put back. Anything unreadable simply has no snippet.
//
// Example:
//   source_files sources("/src/app/");
//   for (const source_line& l : sources.around("answer.cpp", 39)) ...   // lines 37..41
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace goro::driver::report {

struct source_line {
  std::uint64_t number;  // 1-based
  std::string text;      // without the line break
};

class source_files {
 public:
  // Lines shown on each side of the reported one.
  static constexpr std::uint64_t kContext = 2;

  explicit source_files(std::string stripped_prefix)
      : stripped_prefix_(std::move(stripped_prefix)) {}

  // The lines from line - kContext to line + kContext that `file` has; empty when it cannot be
  // read or has no line `line`.
  std::vector<source_line> around(const std::string& file, std::uint64_t line);

 private:
  const std::vector<std::string>& lines_of(const std::string& file);

  std::string stripped_prefix_;
  std::map<std::string, std::vector<std::string>> lines_by_file_;  // empty: not readable
};

}  // namespace goro::driver::report
