// The outputs of `goro report`, one file each: view and the plain text report (text.cpp),
// summary.cpp, sarif.cpp, junit.cpp. Each returns the whole text for stdout; none fails.
#pragma once

#include <string>
#include <vector>

#include "race_report.hpp"

namespace goro::driver::report {

struct view_style {
  bool color = false;           // ANSI escapes: stdout is a terminal and NO_COLOR is not set
  std::string stripped_prefix;  // --strip's prefix, to find a source file by its stripped name
};

// Every report in the runtime's text shape (a goro stress failure group in its own, text.cpp),
// coloured when asked, each access's top frame followed by a few lines of its source when the file
// can be read.
std::string render_view(const std::vector<race_report>& reports, const view_style& style);

// One report in the runtime's text shape, plain: the "text" field, re-rendered after --strip (of a
// stress failure group: view's shape, plain, which ends with its "text").
std::string render_text(const race_report& r);

// One line per distinct race, "COUNT  LOCATION <-> LOCATION", most reported first, then one per
// stress failure group, then "N reports, M distinct races in K files", K counting the source
// files the races (and groups) are in.
std::string render_summary(const std::vector<race_report>& reports);

// A SARIF 2.1.0 log: one result per distinct race and per stress failure group.
std::string render_sarif(const std::vector<race_report>& reports);

// JUnit XML: one failed testcase per distinct race in the testsuite "goro race", and per stress
// failure group in the testsuite "goro stress".
std::string render_junit(const std::vector<race_report>& reports);

}  // namespace goro::driver::report
