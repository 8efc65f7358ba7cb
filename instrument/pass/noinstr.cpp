// GORO_NOINSTR: functions of goro's public headers that touch only runtime-owned memory (a mutex's
// state word, a select case's descriptor) and must stay invisible to the detector, which models
// their synchronisation itself.
//
// The marker is __attribute__((annotate("goro.noinstr"))), which clang records in the
// llvm.global.annotations array, not on the function. At pipeline start, before the inliner, each
// such function gets the "goro-noinstr" attribute (its own body is skipped whole, safe points
// included) and every instruction gets !nosanitize, which the late pass honours wherever inlining
// copies the instruction.
//
// The tags must also cover what is inlined INTO such a function: Mutex::lock's compare-exchange is
// std::atomic's, inlined into lock before lock is inlined into user code. The inliner visits
// callees before callers (bottom-up over the call graph) and runs each function's simplification
// pipeline before moving up, so retagging at the end of that pipeline (a peephole pass, which also
// puts back tags an optimisation dropped) means a GORO_NOINSTR body is whole-tagged by the time it
// is copied into a caller. What can still slip: an optimisation in the caller that rebuilds a
// copied instruction without its metadata — a spurious hook on runtime memory, never a missed one
// on user memory.
#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/InstIterator.h"
#include "pass/pass.hpp"

namespace goro::instrument {
namespace {

constexpr const char* kAnnotation = "goro.noinstr";
constexpr const char* kAttribute = "goro-noinstr";

// The annotated function of one llvm.global.annotations entry, if its string is goro.noinstr.
llvm::Function* noinstr_function(const llvm::Constant* entry) {
  auto* fields = llvm::dyn_cast<llvm::ConstantStruct>(entry);
  if (fields == nullptr || fields->getNumOperands() < 2) return nullptr;
  auto* fn = llvm::dyn_cast<llvm::Function>(fields->getOperand(0)->stripPointerCasts());
  auto* text = llvm::dyn_cast<llvm::GlobalVariable>(fields->getOperand(1)->stripPointerCasts());
  if (fn == nullptr || text == nullptr || !text->hasInitializer()) return nullptr;
  auto* chars = llvm::dyn_cast<llvm::ConstantDataSequential>(text->getInitializer());
  if (chars == nullptr || !chars->isCString() || chars->getAsCString() != kAnnotation) {
    return nullptr;
  }
  return fn;
}

}  // namespace

void tag_noinstr_functions(llvm::Module& m) {
  llvm::GlobalVariable* annotations = m.getNamedGlobal("llvm.global.annotations");
  if (annotations == nullptr || !annotations->hasInitializer()) return;
  auto* entries = llvm::dyn_cast<llvm::ConstantArray>(annotations->getInitializer());
  if (entries == nullptr) return;
  for (const llvm::Use& entry : entries->operands()) {
    llvm::Function* fn = noinstr_function(llvm::cast<llvm::Constant>(entry.get()));
    if (fn == nullptr || fn->isDeclaration()) continue;
    fn->addFnAttr(kAttribute);
    retag_noinstr_body(*fn);
  }
}

void retag_noinstr_body(llvm::Function& f) {
  for (llvm::Instruction& i : llvm::instructions(f)) {
    if (!has_nosanitize(i)) set_nosanitize(i);
  }
}

bool is_noinstr(const llvm::Function& f) { return f.hasFnAttribute(kAttribute); }

bool has_nosanitize(const llvm::Instruction& i) {
  // LLVM 14 has no fixed kind id for it (clang's sanitizers use the name too).
  return i.hasMetadata("nosanitize");
}

void set_nosanitize(llvm::Instruction& i) {
  i.setMetadata(i.getContext().getMDKindID("nosanitize"), llvm::MDNode::get(i.getContext(), {}));
}

}  // namespace goro::instrument
