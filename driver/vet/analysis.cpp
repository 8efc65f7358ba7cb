// Analysing one translation unit (analysis.hpp).
#include "analysis.hpp"

#include <clang/ASTMatchers/ASTMatchFinder.h>
#include <clang/Basic/DiagnosticOptions.h>
#include <clang/Basic/FileManager.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/VirtualFileSystem.h>
#include <llvm/Support/raw_ostream.h>

#include <memory>

#include "checks.hpp"

namespace goro::vet {
namespace {

// A file as the user should see it: as named when the name is relative to the current directory,
// else relative to the current directory when it lies below it, else absolute (a relative name
// in a database's command is relative to the command's directory).
std::string display_path(const std::string& file, const std::string& directory) {
  llvm::SmallString<256> cwd;
  if (llvm::sys::fs::current_path(cwd)) return file;
  if (!llvm::sys::path::is_absolute(file) && directory == cwd.str()) return file;  // as named
  llvm::SmallString<256> path(file);
  if (!llvm::sys::path::is_absolute(path)) {
    path = directory;
    llvm::sys::path::append(path, file);
  }
  llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
  const llvm::StringRef p = path.str();
  if (p.size() > cwd.size() && p.startswith(cwd) && p[cwd.size()] == '/') {
    return p.drop_front(cwd.size() + 1).str();
  }
  return p.str();
}

}  // namespace

unit_result analyze(const clang::tooling::CompileCommand& command) {
  unit_result result;
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs = llvm::vfs::createPhysicalFileSystem();
  if (fs->setCurrentWorkingDirectory(command.Directory)) {
    result.errors = "error: cannot enter " + command.Directory + ", the directory of " +
                    command.Filename + "'s compile command\n";
    return result;
  }
  // Relative names resolve through the file system's working directory, and stay relative in
  // clang's messages, as the user wrote them.
  llvm::IntrusiveRefCntPtr<clang::FileManager> files(
      new clang::FileManager(clang::FileSystemOptions(), fs));

  findings_sink sink;
  clang::ast_matchers::MatchFinder finder;
  callbacks owned;
  add_checks(finder, sink, owned);

  llvm::raw_string_ostream errors(result.errors);
  llvm::IntrusiveRefCntPtr<clang::DiagnosticOptions> diagnostic_options(
      new clang::DiagnosticOptions());
  diagnostic_options->ShowColors = false;
  clang::TextDiagnosticPrinter printer(errors, diagnostic_options.get());

  clang::tooling::ToolInvocation invocation(
      command.CommandLine, clang::tooling::newFrontendActionFactory(&finder)->create(), files.get(),
      std::make_shared<clang::PCHContainerOperations>());
  invocation.setDiagnosticConsumer(&printer);
  result.parsed = invocation.run() && printer.getNumErrors() == 0;
  errors.flush();
  if (!result.parsed) return result;  // a broken AST gives unreliable warnings: errors only
  result.findings = sink.take();
  for (finding& f : result.findings) f.file = display_path(f.file, command.Directory);
  return result;
}

}  // namespace goro::vet
