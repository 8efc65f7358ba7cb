// memcpy / memmove / memset: the llvm.mem* intrinsics and calls of the libc functions become calls
// of __goro_memcpy / __goro_memmove / __goro_memset, which check the whole ranges and perform the
// operation. Replacing beats checking beside them: the backend expands small intrinsics into plain
// moves no later pass would see, and the hooks are no builtin, so nothing turns them back.
//
// Kept as they are, with range checks in front: volatile intrinsics (their volatility must
// survive) and the _FORTIFY_SOURCE variants __mem{cpy,move,set}_chk (their bounds check must).
// Left alone: !nosanitize calls, element-wise atomic intrinsics (no C equivalent), other address
// spaces, and operations whose every range is private memory (escape.cpp) — at -O0 most aggregate
// copies are between locals.
#include <optional>
#include <vector>

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/IntrinsicInst.h"
#include "pass/pass.hpp"

namespace goro::instrument {
namespace {

enum class mem_op { copy, move, set };

struct mem_call {
  llvm::CallBase* call;
  mem_op op;
  llvm::Value* dst;
  llvm::Value* src;  // the fill byte for set
  llvm::Value* size;
  bool keep;  // check the ranges, keep the call
};

// A libc call: memcpy(dst, src, n) / memmove / memset(dst, c, n) and their __*_chk forms.
std::optional<mem_call> as_libc_call(llvm::CallInst& call) {
  const llvm::Function* callee = call.getCalledFunction();
  if (callee == nullptr || !callee->isDeclaration() || call.arg_size() < 3) return std::nullopt;
  llvm::StringRef name = callee->getName();
  bool checked = name.consume_front("__") && name.consume_back("_chk");
  if (checked && call.arg_size() != 4) return std::nullopt;
  if (!checked) name = callee->getName();
  mem_op op;
  if (name == "memcpy") {
    op = mem_op::copy;
  } else if (name == "memmove") {
    op = mem_op::move;
  } else if (name == "memset") {
    op = mem_op::set;
  } else {
    return std::nullopt;
  }
  if (!checked && call.arg_size() != 3) return std::nullopt;
  llvm::Value* dst = call.getArgOperand(0);
  llvm::Value* src = call.getArgOperand(1);
  llvm::Value* size = call.getArgOperand(2);
  bool src_ok = op == mem_op::set ? src->getType()->isIntegerTy() : src->getType()->isPointerTy();
  if (!dst->getType()->isPointerTy() || !src_ok || !size->getType()->isIntegerTy()) {
    return std::nullopt;
  }
  return mem_call{&call, op, dst, src, size, checked};
}

std::optional<mem_call> as_mem_call(llvm::Instruction& i) {
  if (auto* set = llvm::dyn_cast<llvm::MemSetInst>(&i)) {
    return mem_call{
        set, mem_op::set, set->getDest(), set->getValue(), set->getLength(), set->isVolatile()};
  }
  if (auto* transfer = llvm::dyn_cast<llvm::MemTransferInst>(&i)) {
    return mem_call{transfer,
                    llvm::isa<llvm::MemMoveInst>(transfer) ? mem_op::move : mem_op::copy,
                    transfer->getDest(),
                    transfer->getSource(),
                    transfer->getLength(),
                    transfer->isVolatile()};
  }
  if (llvm::isa<llvm::IntrinsicInst>(i)) return std::nullopt;
  if (auto* call = llvm::dyn_cast<llvm::CallInst>(&i)) return as_libc_call(*call);
  return std::nullopt;
}

bool other_address_space(const llvm::Value* p) {
  return p->getType()->getPointerAddressSpace() != 0;
}

void instrument(const mem_call& m, runtime_hooks& hooks) {
  llvm::IRBuilder<> irb(m.call);
  llvm::Value* dst = irb.CreatePointerCast(m.dst, irb.getInt8PtrTy());
  llvm::Value* size = irb.CreateZExtOrTrunc(m.size, hooks.intptr_type());
  if (m.keep) {
    if (m.op != mem_op::set) {
      irb.CreateCall(hooks.access_range(false),
                     {irb.CreatePointerCast(m.src, irb.getInt8PtrTy()), size});
    }
    irb.CreateCall(hooks.access_range(true), {dst, size});
    return;
  }
  llvm::CallInst* replacement = nullptr;
  if (m.op == mem_op::set) {
    replacement = irb.CreateCall(hooks.memset_hook(),
                                 {dst, irb.CreateZExtOrTrunc(m.src, irb.getInt32Ty()), size});
  } else {
    replacement = irb.CreateCall(hooks.memcpy_hook(m.op == mem_op::move),
                                 {dst, irb.CreatePointerCast(m.src, irb.getInt8PtrTy()), size});
  }
  if (!m.call->getType()->isVoidTy()) {
    m.call->replaceAllUsesWith(irb.CreatePointerCast(replacement, m.call->getType()));
  }
  m.call->eraseFromParent();
}

}  // namespace

bool instrument_mem_intrinsics(llvm::Function& f, runtime_hooks& hooks, private_memory& priv,
                               bool keep_calls) {
  std::vector<mem_call> work;
  for (llvm::BasicBlock& bb : f) {
    for (llvm::Instruction& i : bb) {
      if (has_nosanitize(i)) continue;
      std::optional<mem_call> m = as_mem_call(i);
      if (!m) continue;
      bool has_src = m->op != mem_op::set;
      if (other_address_space(m->dst) || (has_src && other_address_space(m->src))) continue;
      // Ask about both ranges now, before any call is replaced: passing a stack slot to a hook
      // would make it look captured to the later questions (accesses.cpp) about the same slot.
      bool private_dst = priv.contains(m->dst);
      bool private_src = !has_src || priv.contains(m->src);
      if (private_dst && private_src) continue;
      m->keep |= keep_calls;
      work.push_back(*m);
    }
  }
  for (const mem_call& m : work) instrument(m, hooks);
  return !work.empty();
}

}  // namespace goro::instrument
