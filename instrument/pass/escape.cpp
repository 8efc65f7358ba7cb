// Memory that cannot race, so its accesses need no hook: the pass's only analysis.
//
// An access is skipped when its address is derived (GEPs, casts, and through selects and phis, all
// of whose sources must qualify — getUnderlyingObjects) from:
//   - a stack slot whose address never escapes the function (CaptureTracking: not stored, not
//     passed to a call that may keep it, not returned). No other goroutine can name it. This is
//     what keeps -O0 code affordable: every local lives in a slot there. A byval argument is such
//     a slot too (the callee's own copy of a struct passed by value).
//   - a constant global: nothing writes it.
//   - a thread_local variable or errno (__errno_location()): per thread, and goroutines that run
//     one after another on one thread share them with no happens-before edge the detector could
//     see, so checking them as ordinary memory would report races that are scheduling artefacts.
//     A plain load or store of a thread_local gets its own hook instead (is_thread_local_address,
//     accesses.cpp), which the detector checks in plain threads only.
//   - compiler-owned counters (gcov, profile instrumentation), racy by design.
//   - the vtable itself (an address loaded by a vtable-pointer load).
// !invariant.load loads read memory fixed after construction. A vtable pointer is not: the
// constructors and destructors of a hierarchy store it, and a virtual call racing with them is a
// race (is_vtable_pointer_access).
#include "llvm/Analysis/CaptureTracking.h"
#include "llvm/Analysis/ValueTracking.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Instructions.h"
#include "pass/pass.hpp"

namespace goro::instrument {
namespace {

// LLVM gives up (and assumes an escape) after 20 uses of a pointer. An unrolled loop that receives
// into one local has a few uses per iteration (lifetime markers, the call), so a local that never
// escapes would be instrumented in every iteration. Walking more uses costs compile time only for
// such locals.
constexpr unsigned kMaxUsesToExplore = 1024;

bool is_compiler_counter(llvm::StringRef name) {
  return name.startswith("__llvm_gcov") || name.startswith("__llvm_gcda") ||
         name.startswith("__profc_") || name.startswith("__profd_") || name.startswith("__goro_");
}

bool is_vtable_pointer_load(const llvm::Instruction& i) {
  llvm::MDNode* tag = i.getMetadata(llvm::LLVMContext::MD_tbaa);
  return llvm::isa<llvm::LoadInst>(i) && tag != nullptr && tag->isTBAAVtableAccess();
}

}  // namespace

bool is_errno_location_call(const llvm::Value* v) {
  auto* call = llvm::dyn_cast<llvm::CallInst>(v);
  if (call == nullptr) return false;
  const llvm::Function* callee = call->getCalledFunction();
  return callee != nullptr && callee->getName() == "__errno_location";
}

bool private_memory::contains(const llvm::Value* addr) {
  llvm::SmallVector<const llvm::Value*, 4> bases;
  // No lookup limit: the walk keeps a visited set, so phis in loops cannot make it cycle.
  llvm::getUnderlyingObjects(addr, bases, nullptr, 0);
  for (const llvm::Value* base : bases) {
    if (!is_private_base(base)) return false;
  }
  return !bases.empty();
}

bool private_memory::is_private_base(const llvm::Value* base) {
  if (llvm::isa<llvm::AllocaInst>(base)) return !stack_slot_escapes(base);
  if (auto* arg = llvm::dyn_cast<llvm::Argument>(base); arg != nullptr && arg->hasByValAttr()) {
    return !stack_slot_escapes(base);
  }
  if (auto* global = llvm::dyn_cast<llvm::GlobalVariable>(base)) {
    return global->isConstant() || global->isThreadLocal() ||
           is_compiler_counter(global->getName());
  }
  if (is_errno_location_call(base)) return true;
  if (auto* loaded = llvm::dyn_cast<llvm::LoadInst>(base)) return is_vtable_pointer_load(*loaded);
  return false;
}

bool private_memory::reads_immutable(const llvm::Instruction& i) {
  return llvm::isa<llvm::LoadInst>(i) && i.hasMetadata(llvm::LLVMContext::MD_invariant_load);
}

bool is_vtable_pointer_access(const llvm::Instruction& i) {
  llvm::MDNode* tag = i.getMetadata(llvm::LLVMContext::MD_tbaa);
  return (llvm::isa<llvm::LoadInst>(i) || llvm::isa<llvm::StoreInst>(i)) && tag != nullptr &&
         tag->isTBAAVtableAccess();
}

bool is_thread_local_address(const llvm::Value* addr) {
  llvm::SmallVector<const llvm::Value*, 4> bases;
  llvm::getUnderlyingObjects(addr, bases, nullptr, 0);
  for (const llvm::Value* base : bases) {
    if (auto* global = llvm::dyn_cast<llvm::GlobalVariable>(base)) {
      if (!global->isThreadLocal()) return false;
      continue;
    }
    // A thread_local with a dynamic initialiser (or one of another unit) is reached through its
    // Itanium ABI wrapper, _ZTW<name>, which returns the calling thread's instance.
    auto* call = llvm::dyn_cast<llvm::CallInst>(base);
    const llvm::Function* callee = call != nullptr ? call->getCalledFunction() : nullptr;
    if (callee == nullptr || !callee->getName().startswith("_ZTW")) return false;
  }
  return !bases.empty();
}

bool private_memory::stack_slot_escapes(const llvm::Value* slot) {
  auto [it, inserted] = escapes_.try_emplace(slot, false);
  if (inserted) {
    it->second = llvm::PointerMayBeCaptured(slot, /*ReturnCaptures=*/true, /*StoreCaptures=*/true,
                                            kMaxUsesToExplore);
  }
  return it->second;
}

}  // namespace goro::instrument
