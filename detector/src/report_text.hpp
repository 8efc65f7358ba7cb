// The text of a race report, as printed on stderr (or GORACE log_path).
#pragma once

#include <string>

#include "report_job.hpp"

namespace goro::race {

// From the first separator line to the last, symbolized sides required.
std::string text_of(const job& j);
// A lock-order inversion's, likewise.
std::string text_of(const lock_order_job& j);

}  // namespace goro::race
