// Analysing one translation unit: parse it with its command line, run every check over its AST.
//
// Each unit gets its own file manager, file system view (with the command's working directory)
// and diagnostics, so units can be analysed on several threads at once. Nothing is printed here:
// clang's errors come back as text, for the caller to print in a stable order.
#pragma once

#include <clang/Tooling/CompilationDatabase.h>

#include <string>
#include <vector>

#include "findings.hpp"

namespace goro::vet {

struct unit_result {
  std::vector<finding> findings;  // ordered by file, line, column; none when not parsed
  std::string errors;             // clang's diagnostics when the unit did not parse
  bool parsed = false;
};

unit_result analyze(const clang::tooling::CompileCommand& command);

}  // namespace goro::vet
