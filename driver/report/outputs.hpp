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

// Every report in the runtime's text shape, coloured when asked, each access's top frame followed
// by a few lines of its source when the file can be read.
std::string render_view(const std::vector<race_report>& reports, const view_style& style);

// One report in the runtime's text shape, plain: the "text" field, re-rendered after --strip.
std::string render_text(const race_report& r);

// One line per distinct race, "COUNT  LOCATION <-> LOCATION", most reported first, then
// "N reports, M distinct races in K files", K counting the source files the races are in.
std::string render_summary(const std::vector<race_report>& reports);

// A SARIF 2.1.0 log: one result per distinct race.
std::string render_sarif(const std::vector<race_report>& reports);

// JUnit XML: one failed testcase per distinct race in the testsuite "goro race".
std::string render_junit(const std::vector<race_report>& reports);

}  // namespace goro::driver::report
