// The detector's shadow call stack: __goro_func_enter(caller pc) at entry and __goro_func_exit on
// every way out, so a race report can show the stack of an access made long ago.
//
// "Every way out" includes an exception passing through: llvm::EscapeEnumerator finds the returns
// and resumes, and turns each call that may throw into an invoke whose cleanup landing pad calls
// func_exit and resumes unwinding. nounwind functions (all of C without -fexceptions, noexcept
// C++) need no cleanup. longjmp out of a function skips func_exit (the runtime must resynchronise
// the shadow stack from the frame pointer, as TSan does).
//
// Only functions that call something or had an access instrumented get the pair (TSan's rule): a
// leaf with no instrumented access can never be a frame in a report.
//
// Escaping stack variables with no lifetime markers (-O0) live from here to every way out; those
// with markers die again on the way out of an exception (stack_lifetimes.cpp).
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/Transforms/Utils/EscapeEnumerator.h"
#include "pass/pass.hpp"

namespace goro::instrument {
namespace {

// Cleanups use the C++ personality when the module has one (what its own landing pads use);
// otherwise EscapeEnumerator picks the target's default, __gcc_personality_v0 on GNU systems,
// which runs cleanups for C++ exceptions too.
void choose_personality(llvm::Function& f) {
  if (f.hasPersonalityFn() || f.doesNotThrow()) return;
  if (llvm::Function* gxx = f.getParent()->getFunction("__gxx_personality_v0")) {
    f.setPersonalityFn(gxx);
  }
}

}  // namespace

bool makes_calls(const llvm::Function& f) {
  for (const llvm::Instruction& i : llvm::instructions(f)) {
    auto* call = llvm::dyn_cast<llvm::CallBase>(&i);
    if (call == nullptr || call->isInlineAsm() || llvm::isa<llvm::IntrinsicInst>(call)) continue;
    const llvm::Function* callee = call->getCalledFunction();
    if (callee != nullptr && runtime_hooks::is_hook(*callee)) continue;
    return true;
  }
  return false;
}

void instrument_entry_exit(llvm::Function& f, runtime_hooks& hooks,
                           const stack_variables& variables) {
  llvm::BasicBlock& entry = f.getEntryBlock();
  llvm::BasicBlock::iterator at = entry.getFirstInsertionPt();
  while (llvm::isa<llvm::AllocaInst>(*at)) ++at;  // static slots stay first
  llvm::IRBuilder<> irb(&*at);
  llvm::Function* return_address =
      llvm::Intrinsic::getDeclaration(f.getParent(), llvm::Intrinsic::returnaddress);
  llvm::Value* caller_pc = irb.CreateCall(return_address, {irb.getInt32(0)});
  irb.CreateCall(hooks.func_enter(), {caller_pc});
  mark_stack_variables(irb, variables.whole_function, /*live=*/true, hooks);

  choose_personality(f);
  llvm::EscapeEnumerator exits(f, "goro.cleanup", /*HandleExceptions=*/true);
  while (llvm::IRBuilder<>* at_exit = exits.Next()) {
    mark_stack_variables(*at_exit, variables.whole_function, /*live=*/false, hooks);
    if (llvm::isa<llvm::ResumeInst>(*at_exit->GetInsertPoint())) {
      mark_stack_variables(*at_exit, variables.scoped, /*live=*/false, hooks);
    }
    at_exit->CreateCall(hooks.func_exit(), {});
  }
}

}  // namespace goro::instrument
