// The compiler command line each file is analysed with.
//
// From a compilation database (-p BUILD_DIR: CMake's compile_commands.json, with commands for
// files it does not list, headers say, inferred from their neighbours), from the flags after
// "--", or, with neither, from a compile_commands.json found in the file's directory or a parent
// (as clang-tidy looks for one), else goro's defaults.
//
// Every command is then made fit for analysis in this process: `goro c++ [-race]` becomes
// clang++-14 (a database made with `goro c++` as the compiler), the instrumentation plugin is not
// loaded, output and dependency files are not written, compiler warnings are off (goro vet prints
// its own), and goro's headers and clang's resource directory (builtin headers such as
// <stddef.h>) are always found. A -std given by the project wins over goro's -std=c++20.
#pragma once

#include <clang/Tooling/CompilationDatabase.h>

#include <string>
#include <vector>

#include "options.hpp"

namespace goro::vet {

// One command per file to analyse, in the order the files were named (the database's order when
// none were). Throws usage_error when the database cannot be read or a named file does not exist.
std::vector<clang::tooling::CompileCommand> command_lines(const options& o);

// Whether a file name is a C++ source file: .cpp, .cc, .cxx, .c++, .C (not a C file, not a header).
bool is_cxx_source(const std::string& file);

}  // namespace goro::vet
