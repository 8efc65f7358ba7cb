// A goroutine's closure: memory no other goroutine can reach, whose accesses need no checks, as
// Go's race build leaves a closure's fields alone (they are written once, by the go statement,
// before the goroutine exists).
//
// runtime.hpp reaches such memory through __goro_closure_fields(p), an identity the compiler cannot
// see through: the go statement builds the closure in its fresh storage through it, and the
// goroutine's invoker runs a closure nothing can write (a const call operator, arguments taken by
// value or const reference) through it. Every plain load and store whose address derives only from
// such calls (getUnderlyingObjects: GEPs, casts, phis, selects; not through a load, so what a
// captured pointer points to stays checked) gets !nosanitize; atomics and memory intrinsics keep
// their checks. The calls are then replaced by their argument, so the object code has no trace of
// them.
//
// Running last (instrument_pass), the marking sees the lambda's body and the captures' copy
// constructors inlined where the marker is, which is where nearly all the accesses are; a function
// left out of line reaches the closure through its `this` and stays checked, as at -O0.
#include <vector>

#include "llvm/ADT/SmallPtrSet.h"
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

// A plain load or store of closure memory.
bool accesses_closure(const llvm::Instruction& i) {
  const llvm::Value* addr = nullptr;
  if (const auto* load = llvm::dyn_cast<llvm::LoadInst>(&i); load != nullptr && !load->isAtomic()) {
    addr = load->getPointerOperand();
  } else if (const auto* store = llvm::dyn_cast<llvm::StoreInst>(&i);
             store != nullptr && !store->isAtomic()) {
    addr = store->getPointerOperand();
  } else {
    return false;
  }
  llvm::SmallVector<const llvm::Value*, 4> bases;
  llvm::getUnderlyingObjects(addr, bases, nullptr, 0);
  for (const llvm::Value* base : bases) {
    if (!is_closure_fields_call(base)) return false;
  }
  return !bases.empty();
}

}  // namespace

void exempt_closure_accesses(llvm::Module& m) {
  llvm::Function* marker = m.getFunction(kClosureFields);
  if (marker == nullptr) return;
  // Only the functions that call the marker can reach a closure through it.
  llvm::SmallPtrSet<llvm::Function*, 16> callers;
  for (llvm::User* user : marker->users()) {
    if (auto* call = llvm::dyn_cast<llvm::CallInst>(user)) callers.insert(call->getFunction());
  }
  for (llvm::Function* f : callers) {
    for (llvm::BasicBlock& bb : *f) {
      for (llvm::Instruction& i : bb) {
        if (accesses_closure(i)) set_nosanitize(i);
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
