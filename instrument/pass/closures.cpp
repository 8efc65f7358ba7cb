// A goroutine's reads of its own closure: exempt from checks, as Go's race build exempts a
// closure's fields (they are written once, by the go statement, before the goroutine exists).
//
// goro::go's invoker (runtime.hpp, race builds) reaches a closure whose callable has a const call
// operator through __goro_closure_fields(p), an identity the compiler cannot see through. Every
// plain load whose address derives only from such calls (getUnderlyingObjects: GEPs, casts, phis,
// selects; not through a load, so what a captured pointer points to stays checked) is a read of
// the closure and gets !nosanitize; stores and atomics keep their checks. The calls are then
// replaced by their argument, so the object code has no trace of them.
//
// Running last (instrument_pass), the marking sees the lambda's body inlined into the invoker,
// which is where nearly all the reads are; a call operator left out of line reads through its
// `this` and stays checked, as it does at -O0.
#include <vector>

#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/Instructions.h"
#include "pass/pass.hpp"

namespace goro::instrument {
namespace {

constexpr const char* kClosureFields = "__goro_closure_fields";

bool is_closure_fields_call(const llvm::Value* v) {
  const auto* call = llvm::dyn_cast<llvm::CallInst>(v);
  const llvm::Function* callee = call != nullptr ? call->getCalledFunction() : nullptr;
  return callee != nullptr && callee->getName() == kClosureFields;
}

bool reads_closure(const llvm::LoadInst& load) {
  if (load.isAtomic()) return false;
  llvm::SmallVector<const llvm::Value*, 4> bases;
  llvm::getUnderlyingObjects(load.getPointerOperand(), bases, nullptr, 0);
  for (const llvm::Value* base : bases) {
    if (!is_closure_fields_call(base)) return false;
  }
  return !bases.empty();
}

}  // namespace

void exempt_closure_reads(llvm::Module& m) {
  llvm::Function* marker = m.getFunction(kClosureFields);
  if (marker == nullptr || marker->use_empty()) return;
  for (llvm::Function& f : m) {
    for (llvm::BasicBlock& bb : f) {
      for (llvm::Instruction& i : bb) {
        auto* load = llvm::dyn_cast<llvm::LoadInst>(&i);
        if (load != nullptr && reads_closure(*load)) set_nosanitize(*load);
      }
    }
  }
}

void remove_closure_markers(llvm::Module& m) {
  llvm::Function* marker = m.getFunction(kClosureFields);
  if (marker == nullptr) return;
  std::vector<llvm::CallInst*> calls;
  for (llvm::User* user : marker->users()) {
    auto* call = llvm::dyn_cast<llvm::CallInst>(user);
    if (call != nullptr && call->getCalledFunction() == marker && call->arg_size() == 1) {
      calls.push_back(call);
    }
  }
  for (llvm::CallInst* call : calls) {
    llvm::Value* closure = call->getArgOperand(0);
    if (closure->getType() != call->getType()) {
      closure = llvm::CastInst::CreatePointerCast(closure, call->getType(), "", call);
    }
    call->replaceAllUsesWith(closure);
    call->eraseFromParent();
  }
  // A declaration no longer used goes; a definition (the runtime's own, were it ever built by the
  // plugin) stays, with its symbol.
  if (marker->isDeclaration() && marker->use_empty()) marker->eraseFromParent();
}

}  // namespace goro::instrument
