// GORACE suppressions (load_suppressions, declared in report.hpp, reads the file at start-up).
#pragma once

#include "report_job.hpp"

namespace goro::race {

// Whether a frame of either side matches a suppression.
bool suppressed(const job& j);
// Whether a frame of any stack of the inversion matches a "deadlock:" suppression.
bool lock_order_suppressed(const lock_order_job& j);

}  // namespace goro::race
