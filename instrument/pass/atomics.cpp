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
//   __atomic_* library calls clang emits for atomics it cannot inline (16 bytes without -mcx16,
//   misaligned ones): sized (_1 … _16) and generic ones of a constant size 1…16 bytes
//                                   → the same hooks; orders pass through as they are C11 values
// Pointers and floating-point values travel as integers of their width (ptrtoint / bitcast).
// A singlethread-scoped atomic load or store synchronises with signal handlers only: accesses.cpp
// checks it as an ordinary access. Atomics on private memory (escape.cpp) stay as they are.
#include <optional>
#include <vector>

#include "llvm/ADT/StringSwitch.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
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

// ---- __atomic_* library calls ----------------------------------------------------------------

enum class libcall_op { load, store, exchange, compare_exchange, fetch, op_fetch };

struct libcall {
  libcall_op op;
  llvm::StringRef rmw;  // the hook's fetch_<op>, for fetch / op_fetch
  bool generic;         // __atomic_<op>(size, ...): values travel through buffers
  int index;            // size index
};

llvm::StringRef fetch_hook(llvm::StringRef op) {
  return llvm::StringSwitch<llvm::StringRef>(op)
      .Case("add", "fetch_add")
      .Case("sub", "fetch_sub")
      .Case("and", "fetch_and")
      .Case("or", "fetch_or")
      .Case("xor", "fetch_xor")
      .Case("nand", "fetch_nand")
      .Default("");
}

// The value arguments of a sized call, between the address (and expected*) and the order(s).
llvm::ArrayRef<llvm::Use> value_pieces(const llvm::CallInst& call, const libcall& lc) {
  unsigned first = lc.op == libcall_op::compare_exchange ? 2 : 1;
  unsigned orders = lc.op == libcall_op::compare_exchange ? 2 : 1;
  llvm::ArrayRef<llvm::Use> args(call.arg_begin(), call.arg_end());
  if (args.size() < first + orders) return {};
  return args.slice(first, args.size() - first - orders);
}

// Whether the call's shape is what libatomic's interface says, so replacing it is sound.
bool well_formed(const llvm::CallInst& call, const libcall& lc) {
  unsigned bits = 8u << lc.index;
  unsigned pointer_args = 1;  // the address
  unsigned orders = lc.op == libcall_op::compare_exchange ? 2 : 1;
  if (lc.generic) {
    // (size, ptr, [expected/val buffer], [desired/ret buffer], orders...)
    pointer_args = lc.op == libcall_op::load || lc.op == libcall_op::store ? 2 : 3;
    if (call.arg_size() != 1 + pointer_args + orders) return false;
    for (unsigned i = 1; i <= pointer_args; ++i) {
      if (!call.getArgOperand(i)->getType()->isPointerTy()) return false;
    }
  } else {
    if (!call.getArgOperand(0)->getType()->isPointerTy()) return false;
    if (lc.op == libcall_op::compare_exchange && !call.getArgOperand(1)->getType()->isPointerTy()) {
      return false;
    }
    if (lc.op != libcall_op::load) {
      unsigned total = 0;
      for (const llvm::Use& piece : value_pieces(call, lc)) {
        if (!piece->getType()->isIntegerTy()) return false;
        total += piece->getType()->getIntegerBitWidth();
      }
      if (total != bits) return false;
    }
    // The result: an integer of the width, or its pieces.
    llvm::Type* result = call.getType();
    if (lc.op == libcall_op::store || lc.op == libcall_op::compare_exchange) {
      if (!result->isVoidTy() && !result->isIntegerTy()) return false;
    } else if (auto* st = llvm::dyn_cast<llvm::StructType>(result)) {
      unsigned total = 0;
      for (llvm::Type* elem : st->elements()) {
        if (!elem->isIntegerTy()) return false;
        total += elem->getIntegerBitWidth();
      }
      if (total != bits) return false;
    } else if (!result->isIntegerTy(bits)) {
      return false;
    }
  }
  for (unsigned i = call.arg_size() - orders; i < call.arg_size(); ++i) {
    if (!call.getArgOperand(i)->getType()->isIntegerTy()) return false;
  }
  return true;
}

// Parses a call of __atomic_<op>[_N] that this file can replace.
std::optional<libcall> parse_libcall(const llvm::CallInst& call) {
  const llvm::Function* callee = call.getCalledFunction();
  if (callee == nullptr || !callee->isDeclaration()) return std::nullopt;
  llvm::StringRef name = callee->getName();
  if (!name.consume_front("__atomic_")) return std::nullopt;
  libcall lc{libcall_op::load, {}, true, -1};
  if (auto [stem, digits] = name.rsplit('_'); !digits.empty()) {
    unsigned n = 0;
    if (!digits.getAsInteger(10, n)) {
      lc.generic = false;
      lc.index = runtime_hooks::size_index(n);
      if (lc.index < 0) return std::nullopt;
      name = stem;
    }
  }
  if (name == "load") {
    lc.op = libcall_op::load;
  } else if (name == "store") {
    lc.op = libcall_op::store;
  } else if (name == "exchange") {
    lc.op = libcall_op::exchange;
  } else if (name == "compare_exchange") {
    lc.op = libcall_op::compare_exchange;
  } else if (name.consume_front("fetch_")) {
    lc.op = libcall_op::fetch;
    lc.rmw = fetch_hook(name);
  } else if (name.consume_back("_fetch")) {
    lc.op = libcall_op::op_fetch;
    lc.rmw = fetch_hook(name);
  } else {
    return std::nullopt;
  }
  if ((lc.op == libcall_op::fetch || lc.op == libcall_op::op_fetch) &&
      (lc.rmw.empty() || lc.generic)) {
    return std::nullopt;  // fetch operations exist only sized
  }
  if (lc.generic) {
    auto* size =
        call.arg_size() > 0 ? llvm::dyn_cast<llvm::ConstantInt>(call.getArgOperand(0)) : nullptr;
    if (size == nullptr) return std::nullopt;  // sizes known only at run time stay libatomic's
    lc.index = runtime_hooks::size_index(size->getZExtValue());
    if (lc.index < 0) return std::nullopt;
  }
  if (!well_formed(call, lc)) return std::nullopt;
  return lc;
}

// A value clang passed in pieces (x86-64 passes __int128 as two i64s) as one integer.
llvm::Value* join(llvm::IRBuilder<>& irb, llvm::ArrayRef<llvm::Use> pieces, llvm::IntegerType* t) {
  llvm::Value* v = nullptr;
  unsigned shift = 0;
  for (const llvm::Use& piece : pieces) {
    llvm::Value* part = irb.CreateZExtOrTrunc(piece.get(), t);
    if (shift != 0) part = irb.CreateShl(part, shift);
    v = v == nullptr ? part : irb.CreateOr(v, part);
    shift += piece->getType()->getIntegerBitWidth();
  }
  return v;
}

// An integer result in the shape the call returned it: one integer, or a struct of pieces.
llvm::Value* split(llvm::IRBuilder<>& irb, llvm::Value* v, llvm::Type* shape) {
  auto* st = llvm::dyn_cast<llvm::StructType>(shape);
  if (st == nullptr) return irb.CreateZExtOrTrunc(v, shape);
  llvm::Value* result = llvm::PoisonValue::get(st);
  unsigned shift = 0;
  for (unsigned i = 0; i < st->getNumElements(); ++i) {
    llvm::Type* piece = st->getElementType(i);
    llvm::Value* shifted = shift != 0 ? irb.CreateLShr(v, shift) : v;
    result = irb.CreateInsertValue(result, irb.CreateTrunc(shifted, piece), i);
    shift += piece->getIntegerBitWidth();
  }
  return result;
}

llvm::Value* op_result(llvm::IRBuilder<>& irb, llvm::StringRef rmw, llvm::Value* old,
                       llvm::Value* operand) {
  if (rmw == "fetch_add") return irb.CreateAdd(old, operand);
  if (rmw == "fetch_sub") return irb.CreateSub(old, operand);
  if (rmw == "fetch_and") return irb.CreateAnd(old, operand);
  if (rmw == "fetch_or") return irb.CreateOr(old, operand);
  if (rmw == "fetch_xor") return irb.CreateXor(old, operand);
  return irb.CreateNot(irb.CreateAnd(old, operand));
}

llvm::Value* order_arg(llvm::IRBuilder<>& irb, runtime_hooks& hooks, llvm::Value* v) {
  return irb.CreateZExtOrTrunc(v, hooks.order_type());
}

// Buffers (generic calls' values, *expected) have no alignment promise.
llvm::Value* load_buffer(llvm::IRBuilder<>& irb, llvm::Value* buffer, llvm::IntegerType* t) {
  return irb.CreateAlignedLoad(t, pointer_to(irb, buffer, t), llvm::MaybeAlign(1));
}

void store_buffer(llvm::IRBuilder<>& irb, llvm::Value* v, llvm::Value* buffer) {
  auto* t = llvm::cast<llvm::IntegerType>(v->getType());
  irb.CreateAlignedStore(v, pointer_to(irb, buffer, t), llvm::MaybeAlign(1));
}

llvm::Value* libcall_address(const llvm::CallInst& call, const libcall& lc) {
  return call.getArgOperand(lc.generic ? 1 : 0);
}

// Replaces one __atomic_* call (arguments as libatomic's interface has them).
void replace_libcall(llvm::CallInst* call, const libcall& lc, runtime_hooks& hooks) {
  llvm::IntegerType* t = hooks.value_type(lc.index);
  llvm::IRBuilder<> irb(call);
  unsigned base = lc.generic ? 1 : 0;  // generic calls lead with the size
  auto arg = [&](unsigned i) { return call->getArgOperand(base + i); };
  llvm::Value* ptr = pointer_to(irb, arg(0), t);
  llvm::Value* last_order = order_arg(irb, hooks, call->getArgOperand(call->arg_size() - 1));
  llvm::Value* result = nullptr;

  switch (lc.op) {
    case libcall_op::load: {  // (ptr, order) → value | (size, ptr, ret*, order)
      llvm::Value* v = irb.CreateCall(hooks.atomic_load(lc.index), {ptr, last_order});
      if (lc.generic) {
        store_buffer(irb, v, arg(1));
      } else {
        result = split(irb, v, call->getType());
      }
      break;
    }
    case libcall_op::store: {  // (ptr, value, order) | (size, ptr, val*, order)
      llvm::Value* v =
          lc.generic ? load_buffer(irb, arg(1), t) : join(irb, value_pieces(*call, lc), t);
      irb.CreateCall(hooks.atomic_store(lc.index), {ptr, v, last_order});
      break;
    }
    case libcall_op::exchange: {  // (ptr, value, order) → old | (size, ptr, val*, ret*, order)
      llvm::Value* v =
          lc.generic ? load_buffer(irb, arg(1), t) : join(irb, value_pieces(*call, lc), t);
      llvm::Value* old =
          irb.CreateCall(hooks.atomic_rmw("exchange", lc.index), {ptr, v, last_order});
      if (lc.generic) {
        store_buffer(irb, old, arg(2));
      } else {
        result = split(irb, old, call->getType());
      }
      break;
    }
    case libcall_op::compare_exchange: {
      // (ptr, expected*, desired, success, failure) → bool; generic: desired is a buffer too.
      llvm::Value* expected = load_buffer(irb, arg(1), t);
      llvm::Value* desired =
          lc.generic ? load_buffer(irb, arg(2), t) : join(irb, value_pieces(*call, lc), t);
      llvm::Value* success = order_arg(irb, hooks, call->getArgOperand(call->arg_size() - 2));
      llvm::Value* seen = irb.CreateCall(hooks.atomic_compare_exchange(lc.index),
                                         {ptr, expected, desired, success, last_order});
      llvm::Value* ok = irb.CreateICmpEQ(seen, expected);
      // On failure the value found is written back to *expected; on success it is left alone.
      llvm::Instruction* then = llvm::SplitBlockAndInsertIfThen(irb.CreateNot(ok), call, false);
      llvm::IRBuilder<> on_failure(then);
      on_failure.SetCurrentDebugLocation(call->getDebugLoc());
      store_buffer(on_failure, seen, arg(1));
      irb.SetInsertPoint(call);
      if (!call->getType()->isVoidTy()) result = irb.CreateZExtOrTrunc(ok, call->getType());
      break;
    }
    case libcall_op::fetch:
    case libcall_op::op_fetch: {  // (ptr, value, order) → old (fetch) or new (op_fetch)
      llvm::Value* operand = join(irb, value_pieces(*call, lc), t);
      llvm::Value* old =
          irb.CreateCall(hooks.atomic_rmw(lc.rmw, lc.index), {ptr, operand, last_order});
      llvm::Value* v = lc.op == libcall_op::fetch ? old : op_result(irb, lc.rmw, old, operand);
      result = split(irb, v, call->getType());
      break;
    }
  }
  if (result != nullptr) call->replaceAllUsesWith(result);
  call->eraseFromParent();
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
