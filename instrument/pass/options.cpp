// Options of one compilation: parsed from -fplugin-arg-goro-<arg>, handed from the clang action to
// the IR passes, and stored in the module as flags.
//
// Why module flags: the clang action and the IR passes are different objects with no shared
// handle, and with -flto the module may be optimised again in another process. The action can only
// reach the backend through process state, so it leaves the options in a one-slot hand-off keyed by
// the main file name (clang names the module after it); the first IR pass moves them into module
// flags, where every later reader — and the bitcode — finds them. Flags merge with "max" so LTO can
// link modules built with different options without an error.
#include <mutex>

#include "llvm/IR/Constants.h"
#include "llvm/IR/Metadata.h"
#include "pass/pass.hpp"

namespace goro::instrument {
namespace {

constexpr const char* kRace = "goro.race";
constexpr const char* kSafePoints = "goro.safepoints";
constexpr const char* kAtomics = "goro.atomics";
constexpr const char* kMemIntrinsics = "goro.memintrinsics";
constexpr const char* kFuncEntryExit = "goro.func_entry_exit";
constexpr const char* kSourceAccesses = "goro.source_accesses";
constexpr const char* kInstrumented = "goro.instrumented";

struct hand_off_slot {
  std::mutex mu;
  std::string module_id;
  std::optional<options> opts;
};

hand_off_slot& slot() {
  static hand_off_slot s;
  return s;
}

std::optional<bool> read_flag(const llvm::Module& m, const char* key) {
  auto* value = llvm::mdconst::extract_or_null<llvm::ConstantInt>(m.getModuleFlag(key));
  if (value == nullptr) return std::nullopt;
  return !value->isZero();
}

void write_flag(llvm::Module& m, const char* key, bool value) {
  if (m.getModuleFlag(key) != nullptr) return;  // a module keeps the options it was built with
  m.addModuleFlag(llvm::Module::Max, key, value ? 1 : 0);
}

}  // namespace

bool apply_plugin_arg(std::string_view arg, options& opts) {
  if (arg == "race") {
    opts.race = true;
  } else if (arg == "no-safepoints") {
    opts.safe_points = false;
  } else if (arg == "no-atomics") {
    opts.atomics = false;
  } else if (arg == "no-memintrinsics") {
    opts.mem_intrinsics = false;
  } else if (arg == "no-func-entry-exit") {
    opts.func_entry_exit = false;
  } else if (arg == "source-accesses") {
    opts.source_accesses = true;
  } else {
    return false;
  }
  return true;
}

void hand_off_options(std::string module_id, const options& opts) {
  std::lock_guard lock(slot().mu);
  slot().module_id = std::move(module_id);
  slot().opts = opts;
}

std::optional<options> take_handed_off_options(llvm::StringRef module_id) {
  std::lock_guard lock(slot().mu);
  if (!slot().opts || slot().module_id != module_id) return std::nullopt;
  std::optional<options> taken;
  taken.swap(slot().opts);
  return taken;
}

bool has_option_flags(const llvm::Module& m) { return m.getModuleFlag(kRace) != nullptr; }

void write_option_flags(llvm::Module& m, const options& opts) {
  write_flag(m, kRace, opts.race);
  write_flag(m, kSafePoints, opts.safe_points);
  write_flag(m, kAtomics, opts.atomics);
  write_flag(m, kMemIntrinsics, opts.mem_intrinsics);
  write_flag(m, kFuncEntryExit, opts.func_entry_exit);
  write_flag(m, kSourceAccesses, opts.source_accesses);
}

options read_option_flags(const llvm::Module& m) {
  options opts;
  opts.race = read_flag(m, kRace).value_or(opts.race);
  opts.safe_points = read_flag(m, kSafePoints).value_or(opts.safe_points);
  opts.atomics = read_flag(m, kAtomics).value_or(opts.atomics);
  opts.mem_intrinsics = read_flag(m, kMemIntrinsics).value_or(opts.mem_intrinsics);
  opts.func_entry_exit = read_flag(m, kFuncEntryExit).value_or(opts.func_entry_exit);
  opts.source_accesses = read_flag(m, kSourceAccesses).value_or(opts.source_accesses);
  return opts;
}

bool is_instrumented(const llvm::Module& m) { return read_flag(m, kInstrumented).value_or(false); }

void mark_instrumented(llvm::Module& m) { write_flag(m, kInstrumented, true); }

}  // namespace goro::instrument
