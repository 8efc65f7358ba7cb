// Atomics: each one is replaced by a __goro_atomicN_* call that performs it and tells the detector
// its memory order (TSan's approach). Observing an atomic from beside it would not do: the detector
// must see the order and the value in one step, or a release it records could be overtaken by the
// access it is meant to publish.
//
//   load atomic / store atomic      → _load / _store
//   atomicrmw xchg add sub and or xor nand
//                                   → _exchange / _fetch_<op>
//   atomicrmw max min umax umin fadd fsub (no hook of their own)
//                                   → a loop: a relaxed _load, then _compare_exchange_val until
//                                     the value did not change under us; the successful exchange
//                                     carries the instruction's order
//   cmpxchg                         → _compare_exchange_val, then icmp rebuilds {old, success}
//   fence                           → __goro_atomic_thread_fence, or _signal_fence when
//                                     singlethread-scoped
//   __atomic_* library calls         → the same hooks (atomic_libcalls.cpp)
// Pointers and floating-point values travel as integers of their width (ptrtoint / bitcast).
// A singlethread-scoped atomic load or store synchronises with signal handlers only: accesses.cpp
// checks it as an ordinary access. Atomics on private memory (escape.cpp) stay as they are.
#include <optional>
#include <vector>

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "pass/atomic_libcalls.hpp"
#include "pass/pass.hpp"

namespace goro::instrument {
namespace {

// The size index of an atomic access of type t, or -1 when no hook has its width.
int index_of(llvm::Type* t, const llvm::DataLayout& dl) {
  if (!t->isIntegerTy() && !t->isPointerTy() && !t->isFloatingPointTy()) return -1;
  llvm::TypeSize size = dl.getTypeStoreSize(t);
  if (size.isScalable() || dl.getTypeSizeInBits(t) != size.getFixedSize() * 8) return -1;
  return runtime_hooks::size_index(size.getFixedSize());
}

llvm::Value* to_int(llvm::IRBuilder<>& irb, llvm::Value* v, llvm::IntegerType* t) {
  if (v->getType() == t) return v;
  if (v->getType()->isPointerTy()) return irb.CreatePtrToInt(v, t);
  if (v->getType()->isIntegerTy()) return irb.CreateZExtOrTrunc(v, t);
  return irb.CreateBitCast(v, t);
}

llvm::Value* from_int(llvm::IRBuilder<>& irb, llvm::Value* v, llvm::Type* t) {
  if (v->getType() == t) return v;
  if (t->isPointerTy()) return irb.CreateIntToPtr(v, t);
  if (t->isIntegerTy()) return irb.CreateZExtOrTrunc(v, t);
  return irb.CreateBitCast(v, t);
}

llvm::Value* pointer_to(llvm::IRBuilder<>& irb, llvm::Value* addr, llvm::IntegerType* t) {
  return irb.CreatePointerCast(addr, t->getPointerTo());
}

llvm::ConstantInt* order(runtime_hooks& hooks, llvm::AtomicOrdering o) {
  return llvm::ConstantInt::get(hooks.order_type(), c11_order(o));
}

// The hook name of an atomicrmw that has one.
std::optional<llvm::StringRef> rmw_hook_name(llvm::AtomicRMWInst::BinOp op) {
  switch (op) {
    case llvm::AtomicRMWInst::Xchg:
      return llvm::StringRef("exchange");
    case llvm::AtomicRMWInst::Add:
      return llvm::StringRef("fetch_add");
    case llvm::AtomicRMWInst::Sub:
      return llvm::StringRef("fetch_sub");
    case llvm::AtomicRMWInst::And:
      return llvm::StringRef("fetch_and");
    case llvm::AtomicRMWInst::Or:
      return llvm::StringRef("fetch_or");
    case llvm::AtomicRMWInst::Xor:
      return llvm::StringRef("fetch_xor");
    case llvm::AtomicRMWInst::Nand:
      return llvm::StringRef("fetch_nand");
    default:
      return std::nullopt;
  }
}

// The new value an atomicrmw without a hook stores, computed on values of the original type.
llvm::Value* rmw_result(llvm::IRBuilder<>& irb, llvm::AtomicRMWInst::BinOp op, llvm::Value* old,
                        llvm::Value* operand) {
  switch (op) {
    case llvm::AtomicRMWInst::Max:
      return irb.CreateSelect(irb.CreateICmpSGT(old, operand), old, operand);
    case llvm::AtomicRMWInst::Min:
      return irb.CreateSelect(irb.CreateICmpSLT(old, operand), old, operand);
    case llvm::AtomicRMWInst::UMax:
      return irb.CreateSelect(irb.CreateICmpUGT(old, operand), old, operand);
    case llvm::AtomicRMWInst::UMin:
      return irb.CreateSelect(irb.CreateICmpULT(old, operand), old, operand);
    case llvm::AtomicRMWInst::FAdd:
      return irb.CreateFAdd(old, operand);
    case llvm::AtomicRMWInst::FSub:
      return irb.CreateFSub(old, operand);
    default:
      return nullptr;
  }
}

void replace_load(llvm::LoadInst* load, int index, runtime_hooks& hooks) {
  llvm::IRBuilder<> irb(load);
  llvm::Value* value =
      irb.CreateCall(hooks.atomic_load(index),
                     {pointer_to(irb, load->getPointerOperand(), hooks.value_type(index)),
                      order(hooks, load->getOrdering())});
  load->replaceAllUsesWith(from_int(irb, value, load->getType()));
  load->eraseFromParent();
}

void replace_store(llvm::StoreInst* store, int index, runtime_hooks& hooks) {
  llvm::IRBuilder<> irb(store);
  llvm::IntegerType* t = hooks.value_type(index);
  irb.CreateCall(hooks.atomic_store(index),
                 {pointer_to(irb, store->getPointerOperand(), t),
                  to_int(irb, store->getValueOperand(), t), order(hooks, store->getOrdering())});
  store->eraseFromParent();
}

// An atomicrmw with no hook of its own, as a compare-exchange loop (see the file comment).
void expand_rmw_loop(llvm::AtomicRMWInst* rmw, int index, runtime_hooks& hooks) {
  llvm::LLVMContext& ctx = rmw->getContext();
  llvm::IntegerType* t = hooks.value_type(index);
  llvm::Type* orig = rmw->getType();
  llvm::BasicBlock* head = rmw->getParent();
  llvm::BasicBlock* done = head->splitBasicBlock(rmw, "goro.rmw.done");
  llvm::BasicBlock* loop = llvm::BasicBlock::Create(ctx, "goro.rmw.loop", head->getParent(), done);
  head->getTerminator()->setSuccessor(0, loop);

  llvm::IRBuilder<> irb(head->getTerminator());
  irb.SetCurrentDebugLocation(rmw->getDebugLoc());
  llvm::Value* ptr = pointer_to(irb, rmw->getPointerOperand(), t);
  llvm::Value* first = irb.CreateCall(hooks.atomic_load(index),
                                      {ptr, order(hooks, llvm::AtomicOrdering::Monotonic)});

  irb.SetInsertPoint(loop);
  llvm::PHINode* expected = irb.CreatePHI(t, 2, "goro.rmw.old");
  expected->addIncoming(first, head);
  llvm::Value* desired = to_int(
      irb,
      rmw_result(irb, rmw->getOperation(), from_int(irb, expected, orig), rmw->getValOperand()), t);
  llvm::AtomicOrdering failure =
      llvm::AtomicCmpXchgInst::getStrongestFailureOrdering(rmw->getOrdering());
  llvm::Value* seen = irb.CreateCall(
      hooks.atomic_compare_exchange(index),
      {ptr, expected, desired, order(hooks, rmw->getOrdering()), order(hooks, failure)});
  expected->addIncoming(seen, loop);
  irb.CreateCondBr(irb.CreateICmpEQ(seen, expected), done, loop);

  irb.SetInsertPoint(rmw);
  rmw->replaceAllUsesWith(from_int(irb, expected, orig));
  rmw->eraseFromParent();
}

void replace_rmw(llvm::AtomicRMWInst* rmw, int index, runtime_hooks& hooks) {
  std::optional<llvm::StringRef> name = rmw_hook_name(rmw->getOperation());
  if (!name) {
    expand_rmw_loop(rmw, index, hooks);
    return;
  }
  llvm::IRBuilder<> irb(rmw);
  llvm::IntegerType* t = hooks.value_type(index);
  llvm::Value* old =
      irb.CreateCall(hooks.atomic_rmw(*name, index),
                     {pointer_to(irb, rmw->getPointerOperand(), t),
                      to_int(irb, rmw->getValOperand(), t), order(hooks, rmw->getOrdering())});
  rmw->replaceAllUsesWith(from_int(irb, old, rmw->getType()));
  rmw->eraseFromParent();
}

void replace_cmpxchg(llvm::AtomicCmpXchgInst* cas, int index, runtime_hooks& hooks) {
  llvm::IRBuilder<> irb(cas);
  llvm::IntegerType* t = hooks.value_type(index);
  llvm::Type* orig = cas->getCompareOperand()->getType();
  llvm::Value* expected = to_int(irb, cas->getCompareOperand(), t);
  llvm::Value* seen = irb.CreateCall(
      hooks.atomic_compare_exchange(index),
      {pointer_to(irb, cas->getPointerOperand(), t), expected,
       to_int(irb, cas->getNewValOperand(), t), order(hooks, cas->getSuccessOrdering()),
       order(hooks, cas->getFailureOrdering())});
  // The hook is a strong exchange, so it also serves cmpxchg weak (which may merely fail less).
  llvm::Value* pair =
      irb.CreateInsertValue(llvm::PoisonValue::get(cas->getType()), from_int(irb, seen, orig), 0);
  pair = irb.CreateInsertValue(pair, irb.CreateICmpEQ(seen, expected), 1);
  cas->replaceAllUsesWith(pair);
  cas->eraseFromParent();
}

void replace_fence(llvm::FenceInst* fence, runtime_hooks& hooks) {
  llvm::IRBuilder<> irb(fence);
  bool signal_only = fence->getSyncScopeID() == llvm::SyncScope::SingleThread;
  irb.CreateCall(hooks.fence(signal_only), {order(hooks, fence->getOrdering())});
  fence->eraseFromParent();
}

llvm::Value* atomic_address(llvm::Instruction* i) {
  if (auto* load = llvm::dyn_cast<llvm::LoadInst>(i)) return load->getPointerOperand();
  if (auto* store = llvm::dyn_cast<llvm::StoreInst>(i)) return store->getPointerOperand();
  if (auto* rmw = llvm::dyn_cast<llvm::AtomicRMWInst>(i)) return rmw->getPointerOperand();
  return llvm::cast<llvm::AtomicCmpXchgInst>(i)->getPointerOperand();
}

llvm::Type* atomic_type(llvm::Instruction* i) {
  if (auto* store = llvm::dyn_cast<llvm::StoreInst>(i)) return store->getValueOperand()->getType();
  if (auto* cas = llvm::dyn_cast<llvm::AtomicCmpXchgInst>(i)) {
    return cas->getCompareOperand()->getType();
  }
  return i->getType();
}

}  // namespace

int c11_order(llvm::AtomicOrdering o) {
  switch (o) {
    case llvm::AtomicOrdering::NotAtomic:
    case llvm::AtomicOrdering::Unordered:
    case llvm::AtomicOrdering::Monotonic:
      return 0;
    case llvm::AtomicOrdering::Acquire:
      return 2;  // C++'s consume reaches IR as acquire
    case llvm::AtomicOrdering::Release:
      return 3;
    case llvm::AtomicOrdering::AcquireRelease:
      return 4;
    case llvm::AtomicOrdering::SequentiallyConsistent:
      return 5;
  }
  return 5;
}

bool instrument_atomics(llvm::Function& f, runtime_hooks& hooks, private_memory& priv) {
  const llvm::DataLayout& dl = f.getParent()->getDataLayout();
  std::vector<llvm::Instruction*> work;
  for (llvm::BasicBlock& bb : f) {
    for (llvm::Instruction& i : bb) {
      if (has_nosanitize(i)) continue;
      if (auto* load = llvm::dyn_cast<llvm::LoadInst>(&i)) {
        if (load->isAtomic() && load->getSyncScopeID() != llvm::SyncScope::SingleThread) {
          work.push_back(&i);
        }
      } else if (auto* store = llvm::dyn_cast<llvm::StoreInst>(&i)) {
        if (store->isAtomic() && store->getSyncScopeID() != llvm::SyncScope::SingleThread) {
          work.push_back(&i);
        }
      } else if (llvm::isa<llvm::AtomicRMWInst>(i) || llvm::isa<llvm::AtomicCmpXchgInst>(i) ||
                 llvm::isa<llvm::FenceInst>(i)) {
        work.push_back(&i);
      } else if (auto* call = llvm::dyn_cast<llvm::CallInst>(&i)) {
        if (parse_libcall(*call)) work.push_back(&i);
      }
    }
  }

  bool changed = false;
  for (llvm::Instruction* i : work) {
    if (auto* fence = llvm::dyn_cast<llvm::FenceInst>(i)) {
      replace_fence(fence, hooks);
      changed = true;
      continue;
    }
    if (auto* call = llvm::dyn_cast<llvm::CallInst>(i)) {
      libcall lc = *parse_libcall(*call);
      llvm::Value* addr = libcall_address(*call, lc);
      if (addr->getType()->getPointerAddressSpace() != 0 || priv.contains(addr)) continue;
      replace_libcall(call, lc, hooks);
      changed = true;
      continue;
    }
    llvm::Value* addr = atomic_address(i);
    int index = index_of(atomic_type(i), dl);
    if (index < 0 || addr->getType()->getPointerAddressSpace() != 0 || priv.contains(addr)) {
      continue;
    }
    if (auto* load = llvm::dyn_cast<llvm::LoadInst>(i)) {
      replace_load(load, index, hooks);
    } else if (auto* store = llvm::dyn_cast<llvm::StoreInst>(i)) {
      replace_store(store, index, hooks);
    } else if (auto* rmw = llvm::dyn_cast<llvm::AtomicRMWInst>(i)) {
      replace_rmw(rmw, index, hooks);
    } else {
      replace_cmpxchg(llvm::cast<llvm::AtomicCmpXchgInst>(i), index, hooks);
    }
    changed = true;
  }
  return changed;
}

}  // namespace goro::instrument
