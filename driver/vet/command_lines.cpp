// The command line each file is analysed with (command_lines.hpp).
#include "command_lines.hpp"

#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/JSONCompilationDatabase.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <memory>
#include <utility>

#ifndef GORO_CLANG_RESOURCE_DIR
#error "GORO_CLANG_RESOURCE_DIR must be defined by the build (clang 14's resource directory)"
#endif

namespace goro::vet {
namespace {

using clang::tooling::CompilationDatabase;
using clang::tooling::CompileCommand;

constexpr char kCompiler[] = "clang++-14";

std::string absolute(const std::string& file) {
  llvm::SmallString<256> path(file);
  llvm::sys::fs::make_absolute(path);
  llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
  return std::string(path.str());
}

std::string current_directory() {
  llvm::SmallString<256> cwd;
  llvm::sys::fs::current_path(cwd);
  return std::string(cwd.str());
}

std::unique_ptr<CompilationDatabase> load_database(const std::string& build_dir) {
  const std::string file = build_dir + "/compile_commands.json";
  if (!llvm::sys::fs::exists(file)) {
    throw usage_error(file +
                      ": no such file (configure the build with "
                      "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON)");
  }
  std::string error;
  std::unique_ptr<CompilationDatabase> db = clang::tooling::JSONCompilationDatabase::loadFromFile(
      file, error, clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (db == nullptr) throw usage_error(file + ": " + error);
  return clang::tooling::inferMissingCompileCommands(std::move(db));
}

// `goro c++ [-race] ARGS` is clang++-14 with ARGS and goro's flags, which are added later anyway.
std::vector<std::string> without_goro_wrapper(std::vector<std::string> args) {
  if (args.size() < 2 || llvm::sys::path::filename(args[0]) != "goro" || args[1] != "c++") {
    return args;
  }
  std::vector<std::string> out = {kCompiler};
  for (std::size_t i = 2; i < args.size(); ++i) {
    if (args[i] != "-race") out.push_back(args[i]);
  }
  return out;
}

bool loads_plugin(llvm::StringRef arg) {
  return arg.startswith("-fplugin=") || arg.startswith("-fpass-plugin=") ||
         arg.startswith("-fplugin-arg-");
}

CompileCommand for_analysis(CompileCommand command, const options& o) {
  std::vector<std::string> args = without_goro_wrapper(std::move(command.CommandLine));
  if (args.empty()) args.push_back(kCompiler);
  std::vector<std::string> kept = {args[0], "-std=c++20"};
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (!loads_plugin(args[i])) kept.push_back(args[i]);
  }
  for (const auto& adjust :
       {clang::tooling::getClangSyntaxOnlyAdjuster(), clang::tooling::getClangStripOutputAdjuster(),
        clang::tooling::getClangStripDependencyFileAdjuster()}) {
    kept = adjust(kept, command.Filename);
  }
  // Extra flags go before the input file, which the database's command usually ends with.
  std::vector<std::string> extra = {"-isystem",
                                    o.goro_prefix + "/include",
                                    std::string("-resource-dir=") + GORO_CLANG_RESOURCE_DIR,
                                    "-w",
                                    "-fno-color-diagnostics",
                                    "-fno-caret-diagnostics"};
  if (o.flags && !o.build_dir.empty()) extra.insert(extra.end(), o.flags->begin(), o.flags->end());
  kept.insert(kept.begin() + 1, extra.begin(), extra.end());
  command.CommandLine = std::move(kept);
  return command;
}

CompileCommand fixed_command(const std::string& file, const std::vector<std::string>& flags) {
  std::vector<std::string> args = {kCompiler};
  args.insert(args.end(), flags.begin(), flags.end());
  args.push_back(file);
  return CompileCommand(current_directory(), file, std::move(args), "");
}

// A file named without -p or "--": the nearest compile_commands.json above it, if it has (or can
// infer) a command for the file; else goro's defaults.
CompileCommand discovered_command(const std::string& file) {
  const std::string path = absolute(file);
  std::string error;
  std::unique_ptr<CompilationDatabase> db = CompilationDatabase::autoDetectFromSource(path, error);
  if (db != nullptr) {
    db = clang::tooling::inferMissingCompileCommands(std::move(db));
    std::vector<CompileCommand> commands = db->getCompileCommands(path);
    if (!commands.empty()) return commands.front();
  }
  return fixed_command(file, {});  // named as the user named it, in clang's errors too
}

}  // namespace

bool is_cxx_source(const std::string& file) {
  const llvm::StringRef ext = llvm::sys::path::extension(file);
  return ext == ".cpp" || ext == ".cc" || ext == ".cxx" || ext == ".c++" || ext == ".C";
}

std::vector<CompileCommand> command_lines(const options& o) {
  for (const std::string& file : o.files) {
    if (!llvm::sys::fs::exists(file)) throw usage_error(file + ": no such file");
    if (llvm::sys::fs::is_directory(file)) throw usage_error(file + ": is a directory");
  }
  std::unique_ptr<CompilationDatabase> db;
  if (!o.build_dir.empty()) db = load_database(o.build_dir);

  std::vector<CompileCommand> commands;
  if (db != nullptr) {
    std::vector<std::string> files;
    if (o.files.empty()) {
      for (const std::string& file : db->getAllFiles()) {
        if (is_cxx_source(file)) files.push_back(file);
      }
    } else {
      for (const std::string& file : o.files) files.push_back(absolute(file));
    }
    for (const std::string& file : files) {
      std::vector<CompileCommand> found = db->getCompileCommands(file);
      commands.push_back(found.empty() ? fixed_command(file, {}) : found.front());
    }
  } else {
    for (const std::string& file : o.files) {
      commands.push_back(o.flags ? fixed_command(file, *o.flags) : discovered_command(file));
    }
  }
  for (CompileCommand& command : commands) command = for_analysis(std::move(command), o);
  return commands;
}

}  // namespace goro::vet
