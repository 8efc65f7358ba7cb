// libgoro_instrument.so's two entry points: the clang plugin (-fplugin=) and the LLVM pass plugin
// (llvmGetPassPluginInfo), in one file because each exists only to reach the other.
//
// SPEC: `-fplugin=<prefix>/lib/goro/libgoro_instrument.so` must be the only extra flag. A clang
// plugin alone can only see the AST, and a pass plugin alone needs -fpass-plugin=. So the clang
// side is a PluginASTAction that runs before the main action and, when clang creates its
// consumers, appends this library's own path (dladdr) to CodeGenOpts.PassPlugins: the backend,
// which reads that list only when it builds its pipeline later in the same compilation, then loads
// this same .so (dlopen returns the handle already open) as a pass plugin and calls
// llvmGetPassPluginInfo. Its AST consumer does nothing.
//
// Arguments, -fplugin-arg-goro-<arg> (pass/options.cpp): race, no-safepoints, no-atomics,
// no-memintrinsics, no-func-entry-exit, source-accesses. The action hands them to the IR passes
// keyed by the file it compiles (see options.cpp for why that hand-off ends in module flags).
//
// LLVM IR inputs (.ll/.bc given to clang) create no AST, hence no pass plugin: they are compiled
// as they are. gcc cannot load this plugin at all.
#include <dlfcn.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/CodeGenOptions.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"
#include "llvm/Support/FileSystem.h"
#include "pass/pass.hpp"

namespace goro::instrument {
namespace {

// This library's path as the loader knows it, absolute.
std::optional<std::string> own_path() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&own_path), &info) == 0 || info.dli_fname == nullptr) {
    return std::nullopt;
  }
  llvm::SmallString<256> real;
  if (llvm::sys::fs::real_path(info.dli_fname, real)) return std::string(info.dli_fname);
  return std::string(real.str());
}

class goro_action : public clang::PluginASTAction {
 protected:
  bool ParseArgs(const clang::CompilerInstance& ci, const std::vector<std::string>& args) override {
    for (const std::string& arg : args) {
      if (!apply_plugin_arg(arg, opts_)) {
        clang::DiagnosticsEngine& diags = ci.getDiagnostics();
        unsigned id = diags.getCustomDiagID(
            clang::DiagnosticsEngine::Error,
            "goro plugin: unknown argument '%0' (known: race, no-safepoints, no-atomics, "
            "no-memintrinsics, no-func-entry-exit, source-accesses)");
        diags.Report(id) << arg;
        return false;
      }
    }
    return true;
  }

  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance& ci,
                                                        llvm::StringRef file) override {
    std::optional<std::string> path = own_path();
    if (!path) {
      clang::DiagnosticsEngine& diags = ci.getDiagnostics();
      diags.Report(diags.getCustomDiagID(clang::DiagnosticsEngine::Error,
                                         "goro plugin: cannot find its own path (dladdr)"));
      return nullptr;
    }
    std::vector<std::string>& plugins = ci.getCodeGenOpts().PassPlugins;
    if (std::find(plugins.begin(), plugins.end(), *path) == plugins.end()) {
      plugins.push_back(*path);
    }
    hand_off_options(file.str(), opts_);
    return std::make_unique<clang::ASTConsumer>();
  }

  ActionType getActionType() override { return AddBeforeMainAction; }

 private:
  options opts_;
};

clang::FrontendPluginRegistry::Add<goro_action> registration(
    "goro", "goro: safe points, stack checks and race-detector instrumentation");

}  // namespace
}  // namespace goro::instrument

extern "C" LLVM_ATTRIBUTE_WEAK __attribute__((visibility("default"))) ::llvm::PassPluginLibraryInfo
llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "goro", "1", goro::instrument::register_passes};
}
