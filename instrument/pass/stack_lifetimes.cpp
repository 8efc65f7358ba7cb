// The lives of escaping stack variables, for the detector's "stack use after return" report
// (detector/src/stack_lifetime.hpp): __goro_stack_live(addr, size) when a variable's life begins,
// __goro_stack_dead(addr, size) when it ends.
//
// Only variables whose address escapes (private_memory: CaptureTracking) get the calls: no other
// goroutine can reach the rest. Parameters passed by value in memory (byval) live for the whole
// call; dynamic allocas (VLAs, alloca()) only come to life, so that markers an earlier frame left
// on their memory are cleared. A variable's life is its lifetime markers, which clang emits when
// optimising: they give a block-scoped variable its scope and an inlined function's locals the
// inlined call, which is where a capture by reference dangles. Without markers (-O0) a variable
// lives from its function's entry to its exits (entry_exit.cpp puts those calls beside
// func_enter/func_exit). An exception leaving a scope passes no lifetime end: the unwinding exit
// marks every scoped variable dead too (one whose scope had ended already is dead twice, which is
// harmless).
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IntrinsicInst.h"
#include "pass/pass.hpp"

namespace goro::instrument {
namespace {

// The lifetime markers of slot: calls whose pointer operand is slot itself or a cast of it.
void find_markers(llvm::AllocaInst& slot, std::vector<llvm::IntrinsicInst*>& markers) {
  std::vector<llvm::Value*> pointers{&slot};
  while (!pointers.empty()) {
    llvm::Value* p = pointers.back();
    pointers.pop_back();
    for (llvm::User* u : p->users()) {
      if (auto* cast = llvm::dyn_cast<llvm::BitCastInst>(u)) {
        pointers.push_back(cast);
      } else if (auto* call = llvm::dyn_cast<llvm::IntrinsicInst>(u);
                 call != nullptr && call->isLifetimeStartOrEnd()) {
        markers.push_back(call);
      }
    }
  }
}

void call_hook(llvm::IRBuilder<>& irb, llvm::FunctionCallee hook, const stack_variable& v,
               runtime_hooks& hooks) {
  llvm::Value* addr = irb.CreatePointerCast(v.slot, irb.getInt8PtrTy());
  irb.CreateCall(hook, {addr, llvm::ConstantInt::get(hooks.intptr_type(), v.size)});
}

}  // namespace

stack_variables instrument_stack_lifetimes(llvm::Function& f, runtime_hooks& hooks,
                                           private_memory& priv) {
  stack_variables found;
  const llvm::DataLayout& layout = f.getParent()->getDataLayout();
  // A parameter passed by value in memory is the callee's variable, in the caller's outgoing
  // argument area: alive while the callee runs.
  for (llvm::Argument& arg : f.args()) {
    if (!arg.hasByValAttr() || priv.contains(&arg)) continue;
    const uint64_t size = layout.getTypeAllocSize(arg.getParamByValType()).getFixedSize();
    if (size > 0) found.whole_function.push_back({&arg, size});
  }
  std::vector<llvm::AllocaInst*> slots, dynamic;
  for (llvm::Instruction& i : llvm::instructions(f)) {
    auto* slot = llvm::dyn_cast<llvm::AllocaInst>(&i);
    if (slot == nullptr || priv.contains(slot)) continue;
    (slot->isStaticAlloca() ? slots : dynamic).push_back(slot);
  }
  // A variable-length array or alloca() buffer: alive from here (markers an earlier frame left on
  // its memory are cleared); it dies unmarked, with its frame or scope (a missed report at worst).
  for (llvm::AllocaInst* slot : dynamic) {
    llvm::IRBuilder<> irb(slot->getNextNode());
    llvm::Value* count = irb.CreateZExtOrTrunc(slot->getArraySize(), hooks.intptr_type());
    const uint64_t each = layout.getTypeAllocSize(slot->getAllocatedType()).getFixedSize();
    llvm::Value* size = irb.CreateMul(count, llvm::ConstantInt::get(hooks.intptr_type(), each));
    irb.CreateCall(hooks.stack_live(), {irb.CreatePointerCast(slot, irb.getInt8PtrTy()), size});
  }
  for (llvm::AllocaInst* slot : slots) {
    const llvm::Optional<llvm::TypeSize> bits = slot->getAllocationSizeInBits(layout);
    if (!bits || bits->isScalable() || bits->getFixedSize() == 0) continue;
    const stack_variable v{slot, bits->getFixedSize() / 8};
    std::vector<llvm::IntrinsicInst*> markers;
    find_markers(*slot, markers);
    if (markers.empty()) {
      found.whole_function.push_back(v);
      continue;
    }
    found.scoped.push_back(v);
    for (llvm::IntrinsicInst* marker : markers) {
      if (marker->getIntrinsicID() == llvm::Intrinsic::lifetime_start) {
        llvm::IRBuilder<> irb(marker->getNextNode());
        call_hook(irb, hooks.stack_live(), v, hooks);
      } else {
        llvm::IRBuilder<> irb(marker);
        call_hook(irb, hooks.stack_dead(), v, hooks);
      }
    }
  }
  return found;
}

void mark_stack_variables(llvm::IRBuilder<>& irb, const std::vector<stack_variable>& variables,
                          bool live, runtime_hooks& hooks) {
  for (const stack_variable& v : variables) {
    call_hook(irb, live ? hooks.stack_live() : hooks.stack_dead(), v, hooks);
  }
}

}  // namespace goro::instrument
