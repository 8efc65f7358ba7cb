// findings_sink (findings.hpp).
#include "findings.hpp"

#include <llvm/ADT/StringRef.h>

#include <utility>

namespace goro::vet {
namespace {

// goro's public headers, wherever they are installed or built from: <dir>/include/goro/*.hpp.
bool in_goro_header(llvm::StringRef file) {
  const std::size_t slash = file.rfind('/');
  return slash != llvm::StringRef::npos && file.take_front(slash).endswith("/include/goro");
}

}  // namespace

void findings_sink::report(const clang::SourceManager& sources, clang::SourceLocation where,
                           const std::string& check, const std::string& message) {
  const clang::SourceLocation at = sources.getExpansionLoc(where);
  if (at.isInvalid() || sources.isInSystemHeader(at)) return;
  const clang::PresumedLoc presumed = sources.getPresumedLoc(at);
  if (presumed.isInvalid() || in_goro_header(presumed.getFilename())) return;
  found_.insert({presumed.getFilename(), presumed.getLine(), presumed.getColumn(), check, message});
}

unsigned findings_sink::line_of(const clang::SourceManager& sources, clang::SourceLocation where) {
  return sources.getPresumedLineNumber(sources.getExpansionLoc(where));
}

std::vector<finding> findings_sink::take() {
  std::vector<finding> out(std::make_move_iterator(found_.begin()),
                           std::make_move_iterator(found_.end()));
  found_.clear();
  return out;
}

}  // namespace goro::vet
