// The SARIF 2.1.0 pieces every goro producer of SARIF shares: the log's envelope (one run of the
// tool "goro"), messages, rules, artifact URIs and fingerprints. `goro report sarif`
// (report/sarif.cpp) and `goro vet --sarif` (vet/sarif_output.cpp) both write through it, so code
// scanning sees one tool that names files and fingerprints results the same way.
//
// Written in C++17: goro vet compiles against LLVM 14's headers, which are C++17 code.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace goro::driver::sarif {

using json = nlohmann::ordered_json;

// {"text": text}
json message(const std::string& text);

// A relative file name stays relative (code scanning resolves it against the repository root); an
// absolute one becomes a file:// URI. Characters outside RFC 3986's unreserved set and '/' are
// percent-encoded.
std::string uri_of(const std::string& file);

// 64-bit FNV-1a of `text` as 16 hex digits: stable across platforms and goro versions.
std::string fingerprint(std::string_view text);

// A reportingDescriptor: id, name, short and full descriptions, default level.
json rule(const std::string& id, const std::string& name, const std::string& short_text,
          const std::string& full_text, const std::string& level);

// The whole log, pretty-printed, ending in a newline: one run of "goro" at this version with
// these rules and results.
std::string render_log(json rules, json results);

}  // namespace goro::driver::sarif
