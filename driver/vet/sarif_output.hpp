// goro vet --sarif FILE: the findings as a SARIF 2.1.0 log, through the writer `goro report
// sarif` uses (driver/sarif/sarif_log.hpp): a rule per check, named "goro-<check>" as the
// warnings are, and a result per finding at its file, line and column.
#pragma once

#include <string>
#include <vector>

#include "findings.hpp"

namespace goro::vet {

std::string render_sarif(const std::vector<finding>& findings);

}  // namespace goro::vet
