// Safe points: the check that makes goroutine stacks safe to keep small and long loops preemptible,
// in every `goro c++` build (race or not).
//
//     if (sp < __goro_stack_guard)              // unlikely; the call sits in a cold block
//       __goro_stack_check_slow(sp, frame_size);
//
// at the prologue (after the static stack slots, so sp already includes this frame), on every loop
// back-edge, and after each dynamic alloca. The guard is the goroutine's stack limit plus a red
// zone; the runtime sets it to UINTPTR_MAX to ask the goroutine to yield, so the same compare is
// Go's stack check and its preemption request. It is an initial-exec thread_local read with a
// VOLATILE load: a goroutine may resume on another thread after any safe point, so the value (and
// the thread it comes from) must be read afresh each time, never hoisted out of a loop. The load is
// also ATOMIC (monotonic, a relaxed load): sysmon stores to the guard from its own thread, and a
// plain load racing with that store would be a data race; on x86-64 and AArch64 both are the same
// single load instruction. sp comes
// from llvm.read_register (rsp/sp), exact after the prologue: it already includes this frame, so
// sp < guard is the whole overflow test and frame_size (static slots + return address + saved
// frame pointer, an estimate) is for the runtime's message only — not to be subtracted again.
//
// No check (the function may not migrate, or cannot have one):
//   - functions that touch thread_local variables, errno (__errno_location) or TLS wrappers
//     (_ZTW/_ZTH): the compiler keeps TLS addresses in registers across calls, and a migration in
//     between would leave them pointing at the previous thread's copy;
//   - naked, disable_sanitizer_instrumentation, GORO_NOINSTR and __goro_* functions, and back-edges
//     of loops inlined from GORO_NOINSTR code (!nosanitize);
//   - the prologue of a small leaf — no calls, no loops, no dynamic alloca, frame <= 128 bytes
//     (Go's StackSmall): it cannot recurse or run long, and the red zone covers its frame.
// Every defined function also gets "frame-pointer"="all": goroutine stacks are walked by frame
// pointer, and plain `clang -fplugin=` must need no other flag.
#include <vector>

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/Triple.h"
#include "llvm/Analysis/CFG.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "pass/pass.hpp"

namespace goro::instrument {
namespace {

constexpr uint64_t kSmallFrame = 128;    // bytes; Go's StackSmall
constexpr uint64_t kFrameOverhead = 16;  // return address + saved frame pointer
constexpr uint32_t kSlowPathWeight = 1;  // vs kFastPathWeight: the slow call is cold
constexpr uint32_t kFastPathWeight = 1u << 20;

bool refers_to_tls(const llvm::Value* v, llvm::SmallPtrSetImpl<const llvm::Constant*>& seen) {
  if (auto* global = llvm::dyn_cast<llvm::GlobalValue>(v)) {
    return global->isThreadLocal();
  }
  auto* expr = llvm::dyn_cast<llvm::ConstantExpr>(v);
  if (expr == nullptr || !seen.insert(expr).second) return false;
  for (const llvm::Use& op : expr->operands()) {
    if (refers_to_tls(op.get(), seen)) return true;
  }
  return false;
}

// Whether f may change threads in the middle (see the file comment).
bool may_migrate(const llvm::Function& f) {
  llvm::SmallPtrSet<const llvm::Constant*, 16> seen;
  for (const llvm::Instruction& i : llvm::instructions(f)) {
    if (auto* call = llvm::dyn_cast<llvm::CallBase>(&i)) {
      if (const llvm::Function* callee = call->getCalledFunction()) {
        llvm::StringRef name = callee->getName();
        if (name == "__errno_location" || name.startswith("_ZTW") || name.startswith("_ZTH")) {
          return false;
        }
      }
    }
    for (const llvm::Use& op : i.operands()) {
      if (refers_to_tls(op.get(), seen)) return false;
    }
  }
  return true;
}

// Calls that use more stack (hooks and intrinsics are the runtime's, counted in its red zone).
bool is_leaf(const llvm::Function& f) { return !makes_calls(f); }

llvm::Value* stack_pointer(llvm::IRBuilder<>& irb, runtime_hooks& hooks, uint64_t frame) {
  llvm::Module& m = *irb.GetInsertBlock()->getModule();
  llvm::LLVMContext& ctx = m.getContext();
  llvm::Triple triple(m.getTargetTriple());
  const char* reg = nullptr;
  if (triple.getArch() == llvm::Triple::x86_64) {
    reg = "rsp";
  } else if (triple.isAArch64() || triple.isRISCV()) {
    reg = "sp";
  }
  if (reg != nullptr) {
    llvm::Function* read =
        llvm::Intrinsic::getDeclaration(&m, llvm::Intrinsic::read_register, {hooks.intptr_type()});
    auto* name =
        llvm::MetadataAsValue::get(ctx, llvm::MDNode::get(ctx, {llvm::MDString::get(ctx, reg)}));
    return irb.CreateCall(read, {name}, "goro.sp");
  }
  // Elsewhere: the frame address less the estimated frame.
  llvm::Function* frame_address =
      llvm::Intrinsic::getDeclaration(&m, llvm::Intrinsic::frameaddress, {irb.getInt8PtrTy()});
  llvm::Value* fp =
      irb.CreatePtrToInt(irb.CreateCall(frame_address, {irb.getInt32(0)}), hooks.intptr_type());
  return irb.CreateSub(fp, llvm::ConstantInt::get(hooks.intptr_type(), frame), "goro.sp");
}

// Inserts the check just before `at`. `frame_size` is what the slow path is told.
void insert_check(llvm::Instruction* at, llvm::Value* frame_size, uint64_t frame,
                  runtime_hooks& hooks) {
  llvm::IRBuilder<> irb(at);
  llvm::IntegerType* intptr = hooks.intptr_type();
  llvm::LoadInst* guard = irb.CreateAlignedLoad(intptr, hooks.stack_guard(),
                                                llvm::MaybeAlign(intptr->getBitWidth() / 8),
                                                /*isVolatile=*/true, "goro.guard");
  guard->setAtomic(llvm::AtomicOrdering::Monotonic);
  set_nosanitize(*guard);
  llvm::Value* sp = stack_pointer(irb, hooks, frame);
  llvm::Value* low = irb.CreateICmpULT(sp, guard, "goro.low");
  llvm::MDNode* weights =
      llvm::MDBuilder(at->getContext()).createBranchWeights(kSlowPathWeight, kFastPathWeight);
  llvm::Instruction* then = llvm::SplitBlockAndInsertIfThen(low, at, false, weights);
  then->getParent()->setName("goro.stack_check");
  llvm::IRBuilder<> slow(then);
  llvm::CallInst* call = slow.CreateCall(hooks.stack_check_slow(), {sp, frame_size});
  call->addFnAttr(llvm::Attribute::Cold);
}

// Where to check one loop back-edge: on the edge itself, or at the loop header when the edge
// cannot be split (indirectbr, callbr). nullptr: nowhere (the edge is gone or enters an EH pad
// with no insertion point).
llvm::Instruction* back_edge_point(llvm::BasicBlock* from, llvm::BasicBlock* to) {
  llvm::Instruction* term = from->getTerminator();
  if (has_nosanitize(*term)) return nullptr;  // a loop inlined from GORO_NOINSTR code
  if (term->getNumSuccessors() == 1) return term->getSuccessor(0) == to ? term : nullptr;
  for (unsigned s = 0; s < term->getNumSuccessors(); ++s) {
    if (term->getSuccessor(s) != to) continue;
    llvm::BasicBlock* edge = llvm::SplitCriticalEdge(
        term, s, llvm::CriticalEdgeSplittingOptions().setMergeIdenticalEdges());
    if (edge != nullptr) return edge->getTerminator();
    llvm::BasicBlock::iterator header = to->getFirstInsertionPt();
    return header == to->end() ? nullptr : &*header;
  }
  return nullptr;  // merged into an edge split before
}

}  // namespace

void keep_frame_pointer(llvm::Function& f) {
  if (!f.hasFnAttribute(llvm::Attribute::Naked)) f.addFnAttr("frame-pointer", "all");
}

bool insert_safe_points(llvm::Function& f, runtime_hooks& hooks) {
  if (!may_migrate(f)) return false;
  const llvm::DataLayout& dl = f.getParent()->getDataLayout();

  uint64_t frame = kFrameOverhead;
  std::vector<llvm::AllocaInst*> dynamic;
  for (llvm::Instruction& i : llvm::instructions(f)) {
    auto* slot = llvm::dyn_cast<llvm::AllocaInst>(&i);
    if (slot == nullptr) continue;
    if (!slot->isStaticAlloca()) {
      dynamic.push_back(slot);
    } else if (llvm::Optional<llvm::TypeSize> size = slot->getAllocationSizeInBits(dl)) {
      if (!size->isScalable()) frame += size->getFixedSize() / 8;
    }
  }
  llvm::SmallVector<std::pair<const llvm::BasicBlock*, const llvm::BasicBlock*>, 8> back_edges;
  llvm::FindFunctionBackedges(f, back_edges);
  bool check_prologue = !is_leaf(f) || frame > kSmallFrame + kFrameOverhead ||
                        !back_edges.empty() || !dynamic.empty();
  llvm::Constant* frame_size = llvm::ConstantInt::get(hooks.intptr_type(), frame);

  // Back-edges first: they are block pairs, and the other checks split blocks.
  for (auto [from, to] : back_edges) {
    llvm::Instruction* at =
        back_edge_point(const_cast<llvm::BasicBlock*>(from), const_cast<llvm::BasicBlock*>(to));
    if (at != nullptr) insert_check(at, frame_size, frame, hooks);
  }
  for (llvm::AllocaInst* slot : dynamic) {
    // sp has moved by the slot's size; check before the slot is used.
    llvm::Instruction* after = slot->getNextNode();
    llvm::IRBuilder<> irb(after);
    llvm::Value* bytes = irb.CreateMul(
        irb.CreateZExtOrTrunc(slot->getArraySize(), hooks.intptr_type()),
        llvm::ConstantInt::get(hooks.intptr_type(), dl.getTypeAllocSize(slot->getAllocatedType())));
    insert_check(after, bytes, frame, hooks);
  }
  if (check_prologue) {
    llvm::BasicBlock& entry = f.getEntryBlock();
    llvm::BasicBlock::iterator at = entry.getFirstInsertionPt();
    while (llvm::isa<llvm::AllocaInst>(*at)) ++at;
    insert_check(&*at, frame_size, frame, hooks);
  }
  return true;
}

}  // namespace goro::instrument
