// Calls of C library functions that the race runtime checks when they run (its interposers of
// memcmp, strlen, read...: detector/src/libc_strings.cpp) must stay calls. The backend expands a
// memcmp or bcmp of a small constant size into inline loads and compares (ExpandMemCmp, after this
// pass), which no hook would see: such calls are marked nobuiltin, which keeps them calls.
#include "llvm/IR/InstrTypes.h"
#include "pass/pass.hpp"

namespace goro::instrument {

bool keep_checked_libc_calls(llvm::Function& f) {
  bool changed = false;
  for (llvm::BasicBlock& bb : f) {
    for (llvm::Instruction& i : bb) {
      auto* call = llvm::dyn_cast<llvm::CallBase>(&i);
      const llvm::Function* callee = call != nullptr ? call->getCalledFunction() : nullptr;
      if (callee == nullptr || has_nosanitize(i)) continue;
      const llvm::StringRef name = callee->getName();
      if (name != "memcmp" && name != "bcmp") continue;
      call->addFnAttr(llvm::Attribute::NoBuiltin);
      changed = true;
    }
  }
  return changed;
}

}  // namespace goro::instrument
