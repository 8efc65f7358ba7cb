// Reading race report files (JSON lines, schema v1, docs/report-format.md) into race_reports.
//
// Every non-blank line is parsed and checked field by field; a line that fails becomes one
// problem naming the file and line and is skipped, so a bad line never hides the good ones. A
// reader must reject versions it does not know, so a line with any `version` but 1 is a problem
// too.
//
// Example:
//   report::input in;
//   report::read_file("races.json", in);   // "-" reads standard input
//   for (const auto& p : in.problems) std::fprintf(stderr, "goro report: %s\n", p.c_str());
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "race_report.hpp"

namespace goro::driver::report {

struct input {
  std::vector<race_report> reports;   // in the order read
  std::vector<std::string> problems;  // "FILE:LINE: what is wrong" or "FILE: why it cannot be read"
};

// The name standard input has in messages and in race_report::input.
inline constexpr std::string_view kStdinName = "<standard input>";

// Parses the JSON lines in `text`, read from `name`, into `into`. Blank lines are skipped; a last
// line without its newline is fine when it parses, and a "truncated last line" when it does not.
void parse_lines(std::string_view text, const std::string& name, input& into);

// Reads the file at `path` ("-" is standard input) and parses it; a file that cannot be read is
// one problem, "PATH: <strerror>".
void read_file(const std::string& path, input& into);

}  // namespace goro::driver::report
