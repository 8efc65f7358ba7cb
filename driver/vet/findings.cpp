// findings_sink (findings.hpp).
#include "findings.hpp"

#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringRef.h>

#include <utility>

namespace goro::vet {
namespace {

// goro's public headers, wherever they are installed or built from: <dir>/include/goro/*.hpp.
bool in_goro_header(llvm::StringRef file) {
  const std::size_t slash = file.rfind('/');
  return slash != llvm::StringRef::npos && file.take_front(slash).endswith("/include/goro");
}

// Whether `line` holds `word` ("NOLINT" or "NOLINTNEXTLINE") for `check`: bare, or with a list
// naming goro-<check>, goro-* or *, as clang-tidy reads it.
bool says_quiet(llvm::StringRef line, llvm::StringRef word, const std::string& check) {
  for (std::size_t at = line.find(word); at != llvm::StringRef::npos;
       at = line.find(word, at + 1)) {
    llvm::StringRef rest = line.drop_front(at + word.size());
    if (word == "NOLINT" && rest.startswith("NEXTLINE")) continue;
    if (!rest.startswith("(")) return true;
    llvm::SmallVector<llvm::StringRef, 4> names;
    rest.drop_front().take_until([](char c) { return c == ')'; }).split(names, ',');
    for (llvm::StringRef name : names) {
      name = name.trim();
      if (name == "*" || name == "goro-*" || name == ("goro-" + check)) return true;
    }
  }
  return false;
}

// Whether a NOLINT comment on the location's line, or NOLINTNEXTLINE on the line before, silences
// `check` there.
bool silenced(const clang::SourceManager& sources, clang::SourceLocation at,
              const std::string& check) {
  const auto [file, offset] = sources.getDecomposedLoc(at);
  bool invalid = false;
  const llvm::StringRef text = sources.getBufferData(file, &invalid);
  if (invalid) return false;
  const std::size_t newline = text.rfind('\n', offset);
  const std::size_t start = newline == llvm::StringRef::npos ? 0 : newline + 1;
  if (says_quiet(text.slice(start, text.find('\n', offset)), "NOLINT", check)) return true;
  if (start == 0) return false;
  const std::size_t before = text.rfind('\n', start - 1);
  const std::size_t previous = before == llvm::StringRef::npos ? 0 : before + 1;
  return says_quiet(text.slice(previous, start - 1), "NOLINTNEXTLINE", check);
}

}  // namespace

void findings_sink::report(const clang::SourceManager& sources, clang::SourceLocation where,
                           const std::string& check, const std::string& message) {
  const clang::SourceLocation at = sources.getFileLoc(where);
  if (at.isInvalid() || sources.isInSystemHeader(at)) return;
  const clang::PresumedLoc presumed = sources.getPresumedLoc(at);
  if (presumed.isInvalid() || in_goro_header(presumed.getFilename())) return;
  if (silenced(sources, at, check)) return;
  found_.insert({presumed.getFilename(), presumed.getLine(), presumed.getColumn(), check, message});
}

unsigned findings_sink::line_of(const clang::SourceManager& sources, clang::SourceLocation where) {
  return sources.getPresumedLineNumber(sources.getFileLoc(where));
}

std::vector<finding> findings_sink::take() {
  std::vector<finding> out(std::make_move_iterator(found_.begin()),
                           std::make_move_iterator(found_.end()));
  found_.clear();
  return out;
}

}  // namespace goro::vet
