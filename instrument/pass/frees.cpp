// Frees of the program's own memory: a call of free, realloc or an operator delete gets a
// __goro_free_hint(ptr) just before it, which tells the race runtime that the free() it is about
// to see is the program's. That free is checked as a write of the block (a free racing with an
// access of the block is a race), where the runtime's own frees (of closures, timers and buffers
// whose last owner the detector cannot see) and those of uninstrumented libraries only forget the
// block. The hint, not the call itself, is what the pass adds: operator delete reaches free()
// through libstdc++, and only free() knows the block is malloc's.
//
// Skipped: !nosanitize calls (GORO_NOINSTR bodies of goro's headers, which free runtime-owned
// memory).
#include <vector>

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "pass/pass.hpp"

namespace goro::instrument {
namespace {

// free, realloc (the old block's life ends), and the Itanium ABI's operator delete and delete[] in
// all their forms (sized, aligned, nothrow): _ZdlPv..., _ZdaPv...
bool frees_its_first_argument(const llvm::Function& callee) {
  const llvm::StringRef name = callee.getName();
  return name == "free" || name == "realloc" || name.startswith("_ZdlPv") ||
         name.startswith("_ZdaPv");
}

}  // namespace

bool instrument_frees(llvm::Function& f, runtime_hooks& hooks) {
  std::vector<llvm::CallBase*> frees;
  for (llvm::BasicBlock& bb : f) {
    for (llvm::Instruction& i : bb) {
      auto* call = llvm::dyn_cast<llvm::CallBase>(&i);
      const llvm::Function* callee = call != nullptr ? call->getCalledFunction() : nullptr;
      if (callee == nullptr || call->arg_size() == 0 || has_nosanitize(i)) continue;
      if (!call->getArgOperand(0)->getType()->isPointerTy()) continue;
      if (frees_its_first_argument(*callee)) frees.push_back(call);
    }
  }
  for (llvm::CallBase* call : frees) {
    llvm::IRBuilder<> irb(call);  // the call's debug location: the report's line
    irb.CreateCall(hooks.free_hint(),
                   {irb.CreatePointerCast(call->getArgOperand(0), irb.getInt8PtrTy())});
  }
  return !frees.empty();
}

}  // namespace goro::instrument
