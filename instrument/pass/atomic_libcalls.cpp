// Replacing the __atomic_* library calls by the detector's atomic hooks; see atomic_libcalls.hpp.
#include "pass/atomic_libcalls.hpp"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"

namespace goro::instrument {
namespace {

llvm::Value* pointer_to(llvm::IRBuilder<>& irb, llvm::Value* addr, llvm::IntegerType* t) {
  return irb.CreatePointerCast(addr, t->getPointerTo());
}

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

}  // namespace

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

namespace {

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

}  // namespace

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

}  // namespace goro::instrument
