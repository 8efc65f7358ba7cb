// The passes goro adds to clang's pipeline, and the order of work inside the late one.
//
// pipeline_start_pass (PipelineStartEPCallback, before any optimisation):
//   options → module flags (options.cpp), GORO_NOINSTR → !nosanitize (noinstr.cpp), and in race
//   builds sanitize_thread on every function, so no load is speculated past its branch; with
//   source-accesses, the plain accesses and memory intrinsics are checked here (see
//   check_source_accesses), not in instrument_pass.
// noinstr_retag_pass (PeepholeEPCallback: after every instcombine, the last one ending each
// function's simplification inside the inliner's bottom-up walk): GORO_NOINSTR bodies re-tagged.
// instrument_pass (OptimizerLastEPCallback, after all optimisation, -O0 included; with -flto this
// is the end of the pre-link pipeline, so bitcode objects are already instrumented):
//   once per module: the "goro.instrumented" flag (a second run does nothing), a reference to
//   __goro_instrumented_v1 (every build) and a constructor calling __goro_race_init_v1 (race
//   builds): a plugin/runtime ABI mismatch is a link error, not a silent misbehaviour; then the
//   accesses of goroutines' closures exempted (race builds) and the closure markers removed
//   (every build; closures.cpp).
//   per defined function, in this order:
//     frame pointers
//     race: atomics → memory intrinsics → plain accesses → free hints → libc calls kept as calls
//           → escaping stack variables' lives → entry/exit
//           (atomics first: their library-call rewriting makes plain buffer accesses, which are
//           then checked like any other; entry/exit last, so it sees every call it must wrap)
//     safe points (last: the prologue check precedes func_enter, and nothing splits blocks after)
// Running last means only accesses that survived optimisation are checked — values kept in
// registers cannot race — at the cost of seeing code the optimiser may have merged.
//
// Functions never instrumented: declarations, available_externally copies (their code is never
// emitted), naked and disable_sanitizer_instrumentation functions, __goro_* (the runtime's own
// ABI), GORO_NOINSTR functions, and the constructor this pass adds.
#include "llvm/IR/IRBuilder.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"
#include "pass/pass.hpp"

namespace goro::instrument {
namespace {

constexpr const char* kRaceCtor = "goro.race_ctor";
constexpr const char* kMarkerRef = "goro.instrumented_ref";

bool instrumentable(const llvm::Function& f) {
  return !f.isDeclaration() && !f.hasAvailableExternallyLinkage() &&
         !f.hasFnAttribute(llvm::Attribute::Naked) &&
         !f.hasFnAttribute(llvm::Attribute::DisableSanitizerInstrumentation) &&
         !runtime_hooks::is_hook(f) && !is_noinstr(f);
}

// Whether f (already checked at pipeline start) calls an access check: its entry and exit are
// then needed for the checks' stacks.
bool has_access_checks(const llvm::Function& f) {
  for (const llvm::BasicBlock& bb : f) {
    for (const llvm::Instruction& i : bb) {
      const auto* call = llvm::dyn_cast<llvm::CallBase>(&i);
      const llvm::Function* callee = call != nullptr ? call->getCalledFunction() : nullptr;
      if (callee != nullptr && runtime_hooks::is_hook(*callee)) return true;
    }
  }
  return false;
}

// A private constant holding the marker's address, kept by llvm.used: the object then has a
// relocation against __goro_instrumented_v1, which the linker must resolve.
void reference_marker(llvm::Module& m, runtime_hooks& hooks) {
  llvm::Constant* marker = hooks.instrumented_marker();
  auto* ref = new llvm::GlobalVariable(m, marker->getType(), /*isConstant=*/true,
                                       llvm::GlobalValue::PrivateLinkage, marker, kMarkerRef);
  llvm::appendToUsed(m, {ref});
}

// Priority 0: the detector is ready before any other constructor of the module runs.
void add_race_constructor(llvm::Module& m, runtime_hooks& hooks) {
  llvm::LLVMContext& ctx = m.getContext();
  auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), false);
  llvm::Function* ctor =
      llvm::Function::Create(type, llvm::GlobalValue::InternalLinkage, kRaceCtor, m);
  ctor->addFnAttr(llvm::Attribute::NoUnwind);
  ctor->addFnAttr(llvm::Attribute::DisableSanitizerInstrumentation);
  llvm::IRBuilder<> irb(llvm::BasicBlock::Create(ctx, "entry", ctor));
  irb.CreateCall(hooks.race_init(), {});
  irb.CreateRetVoid();
  llvm::appendToGlobalCtors(m, ctor, 0);
}

// Moves the entry block's static slots above its first other instruction. The calls made at entry
// (entry_exit.cpp, safe_points.cpp) go after the leading slots, and with -g a slot of an inlined
// function can follow a debug intrinsic: left there, a whole-function variable's stack_live used it
// before its definition (IR the verifier rejects; clang's register coalescer crashed on it), and
// once the prologue check split the block the slot was no longer in the entry block, no longer
// static.
// A static slot's only operand is a constant, so it may move anywhere in the entry block, also
// above a dynamic slot (whose stack check, after it, splits the block too).
void hoist_static_allocas(llvm::Function& f) {
  llvm::BasicBlock& entry = f.getEntryBlock();
  llvm::Instruction* first_other = nullptr;
  for (llvm::Instruction& i : llvm::make_early_inc_range(entry)) {
    auto* slot = llvm::dyn_cast<llvm::AllocaInst>(&i);
    if (slot == nullptr || !slot->isStaticAlloca()) {
      if (first_other == nullptr) first_other = &i;
    } else if (first_other != nullptr) {
      slot->moveBefore(first_other);
    }
  }
}

void instrument_for_races(llvm::Function& f, const options& opts, runtime_hooks& hooks) {
  bool calls = makes_calls(f);
  private_memory priv;
  bool changed = false;
  if (opts.atomics) changed |= instrument_atomics(f, hooks, priv);
  if (!opts.source_accesses) {
    if (opts.mem_intrinsics) changed |= instrument_mem_intrinsics(f, hooks, priv);
    changed |= instrument_accesses(f, hooks, priv);
  } else {
    changed |= has_access_checks(f);
  }
  changed |= instrument_frees(f, hooks);
  keep_checked_libc_calls(f);
  // Last before entry/exit, which marks what lives the whole function; the slots' escape results
  // are cached by now or computed before this adds calls that take their addresses.
  const stack_variables variables = instrument_stack_lifetimes(f, hooks, priv);
  if (opts.func_entry_exit && (changed || calls)) instrument_entry_exit(f, hooks, variables);
}

// source-accesses: plain accesses and memory intrinsics are checked in the IR as clang wrote it,
// before any optimisation, so a racy read whose value is unused or a copy into a buffer nobody
// reads (which the optimiser deletes) is still checked, as Go's race build checks every access
// of the source. The checks are declared so that they leave the optimiser free with the accesses
// themselves (hooks.cpp); intrinsics keep their calls, checked in front. What costs: the check
// calls are never hoisted or merged, and a stack slot whose address reaches one stays in memory
// (at this point every slot passed to a not yet inlined callee looks escaping). A goroutine's
// closure is checked too: its marker (closures.cpp) is still inside runtime.hpp's helpers here,
// with no access of the closure through it.
void check_source_accesses(llvm::Module& m) {
  const options opts = read_option_flags(m);
  runtime_hooks hooks(m);
  for (llvm::Function& f : m) {
    if (!instrumentable(f)) continue;
    private_memory priv;
    if (opts.mem_intrinsics) instrument_mem_intrinsics(f, hooks, priv, /*keep_calls=*/true);
    instrument_accesses(f, hooks, priv);
  }
}

// The optimiser may hoist a load above the branch that guards it (`r = c ? *p : 0` reading *p
// either way) when the load cannot fault: harmless for the program, but the detector would see a
// read the source never makes, racing with a write the condition excluded. LLVM does not speculate
// loads in sanitize_thread functions (mustSuppressSpeculation), which is how -fsanitize=thread
// avoids it; the race build sets the same attribute. Every defined function gets it, GORO_NOINSTR
// ones included: the inliner only inlines between functions that agree on it.
void forbid_load_speculation(llvm::Module& m) {
  for (llvm::Function& f : m) {
    if (!f.isDeclaration()) f.addFnAttr(llvm::Attribute::SanitizeThread);
  }
}

}  // namespace

llvm::PreservedAnalyses pipeline_start_pass::run(llvm::Module& m, llvm::ModuleAnalysisManager&) {
  if (!has_option_flags(m)) {
    write_option_flags(m, take_handed_off_options(m.getModuleIdentifier()).value_or(options{}));
  }
  tag_noinstr_functions(m);
  const options opts = read_option_flags(m);
  if (opts.race) forbid_load_speculation(m);
  if (opts.race && opts.source_accesses && !is_instrumented(m)) check_source_accesses(m);
  return llvm::PreservedAnalyses::none();
}

llvm::PreservedAnalyses noinstr_retag_pass::run(llvm::Function& f, llvm::FunctionAnalysisManager&) {
  if (is_noinstr(f)) retag_noinstr_body(f);
  return llvm::PreservedAnalyses::all();  // metadata only
}

llvm::PreservedAnalyses instrument_pass::run(llvm::Module& m, llvm::ModuleAnalysisManager&) {
  if (is_instrumented(m)) return llvm::PreservedAnalyses::all();
  const options opts = read_option_flags(m);
  mark_instrumented(m);
  runtime_hooks hooks(m);

  std::vector<llvm::Function*> functions;
  for (llvm::Function& f : m) {
    if (!f.isDeclaration()) functions.push_back(&f);
  }
  reference_marker(m, hooks);
  if (opts.race) {
    add_race_constructor(m, hooks);
    exempt_closure_accesses(m);
  }
  remove_closure_markers(m);

  for (llvm::Function* f : functions) {
    keep_frame_pointer(*f);
    if (!instrumentable(*f)) continue;
    hoist_static_allocas(*f);
    if (opts.race) instrument_for_races(*f, opts, hooks);
    if (opts.safe_points) insert_safe_points(*f, hooks);
  }
  return llvm::PreservedAnalyses::none();
}

void register_passes(llvm::PassBuilder& pb) {
  pb.registerPipelineStartEPCallback([](llvm::ModulePassManager& mpm, llvm::OptimizationLevel) {
    mpm.addPass(pipeline_start_pass());
  });
  pb.registerPeepholeEPCallback([](llvm::FunctionPassManager& fpm, llvm::OptimizationLevel) {
    fpm.addPass(noinstr_retag_pass());
  });
  pb.registerOptimizerLastEPCallback([](llvm::ModulePassManager& mpm, llvm::OptimizationLevel) {
    mpm.addPass(instrument_pass());
  });
}

}  // namespace goro::instrument
