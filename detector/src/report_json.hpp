// The JSON line of a race report.
#pragma once

#include <string>

#include "report_job.hpp"

namespace goro::race {

// One line, newline-terminated; `text` is the report's text, carried as a field.
std::string json_of(const job& j, const std::string& text);
// A lock-order inversion's line (type "lock_order_inversion").
std::string json_of(const lock_order_job& j, const std::string& text);
// A partial deadlock's line (type "partial_deadlock").
std::string json_of(const deadlock_job& j, const std::string& text);

}  // namespace goro::race
