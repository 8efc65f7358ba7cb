// goro vet's SARIF log (sarif_output.hpp).
#include "sarif_output.hpp"

#include <utility>

#include "../sarif/sarif_log.hpp"
#include "checks.hpp"

namespace goro::vet {

namespace sarif = goro::driver::sarif;

std::string render_sarif(const std::vector<finding>& findings) {
  sarif::json rules = sarif::json::array();
  for (const check_info& check : kChecks) {
    rules.push_back(sarif::rule(std::string("goro-") + check.id, check.name, check.summary,
                                check.rationale, "warning"));
  }
  sarif::json results = sarif::json::array();
  for (const finding& f : findings) {
    int index = 0;
    while (index < static_cast<int>(std::size(kChecks)) && f.check != kChecks[index].id) ++index;
    sarif::json physical = {
        {"artifactLocation", {{"uri", sarif::uri_of(f.file)}}},
        {"region", {{"startLine", f.line}, {"startColumn", f.column}}},
    };
    results.push_back({
        {"ruleId", "goro-" + f.check},
        {"ruleIndex", index},
        {"level", "warning"},
        {"message", sarif::message(f.message)},
        {"locations", sarif::json::array({{{"physicalLocation", std::move(physical)}}})},
        {"partialFingerprints",
         {{"goroVetFinding/v1", sarif::fingerprint(f.file + ":" + f.check + ":" + f.message)}}},
    });
  }
  return sarif::render_log(std::move(rules), std::move(results));
}

}  // namespace goro::vet
