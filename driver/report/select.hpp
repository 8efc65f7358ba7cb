// Which reports `goro report` shows (--filter) and how their file names read (--strip). Both are
// applied once, after reading and before any output, so every output agrees.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "race_report.hpp"

namespace goro::driver::report {

// Keeps the reports in which some frame of either access's stack (of an inversion, of any edge's
// two stacks; of a partial deadlock, of any member's stack; of a stress group, of its frames) has
// one of `patterns` in its function or file name (a substring; file names as read, before
// --strip). No patterns: keeps all.
void keep_matching(std::vector<race_report>& reports, const std::vector<std::string>& patterns);

// Removes `prefix` from the front of every file name (stacks, creation stacks, a stress group's
// frames) that starts with it, unless that would cut a UTF-8 character in two.
void strip_file_prefix(std::vector<race_report>& reports, std::string_view prefix);

}  // namespace goro::driver::report
