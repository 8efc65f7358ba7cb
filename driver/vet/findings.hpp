// What goro vet found, and where: `finding` is one warning; `findings_sink` is where a check
// reports one while a translation unit is analysed.
//
// The sink turns a clang location into file:line:col (in a macro argument, the argument's own
// place; elsewhere in a macro, its expansion site, as a compiler reports it), drops what lies in
// system headers or goro's own headers (the checks look at the user's code, and a header seen by
// many translation units must not warn once per unit through
// an instantiation), and drops repeats: a template instantiated twice is matched twice. A comment
// `NOLINT` or `NOLINT(goro-<check>)` on the line (`NOLINTNEXTLINE(…)` on the line before)
// silences a warning there, as it does clang-tidy's: for code that means to do what a check warns
// of, a test of a panic say.
#pragma once

#include <clang/Basic/SourceLocation.h>
#include <clang/Basic/SourceManager.h>

#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace goro::vet {

struct finding {
  std::string file;
  unsigned line = 0;
  unsigned column = 0;
  std::string check;  // "loop-capture": printed as [goro-loop-capture]
  std::string message;

  auto key() const { return std::tie(file, line, column, check, message); }
  bool operator<(const finding& other) const { return key() < other.key(); }
};

class findings_sink {
 public:
  void report(const clang::SourceManager& sources, clang::SourceLocation where,
              const std::string& check, const std::string& message);

  // "file:line" of a location, for messages that point at a second place ("closed on line 12").
  static unsigned line_of(const clang::SourceManager& sources, clang::SourceLocation where);

  // Everything reported so far, ordered by file, line and column.
  std::vector<finding> take();

 private:
  std::set<finding> found_;
};

}  // namespace goro::vet
