// Plain loads and stores: a __goro_readN / __goro_writeN(addr) call just before each access of 1,
// 2, 4, 8 or 16 bytes (aligned or not: the ABI has one hook per size), __goro_{read,write}_range
// for any other size (x86_fp80, odd vectors, first-class aggregates).
//
// Skipped: !nosanitize instructions, private memory (escape.cpp), loads of immutable memory, other
// address spaces (%fs/%gs-relative) and swifterror slots, which are not memory.
//
// Two kinds of access get hooks of their own: a vtable pointer's load (a virtual call) and store (a
// constructor or destructor) call __goro_vptr_read / __goro_vptr_update, and an access of a
// thread_local variable calls __goro_tls_read / __goro_tls_write with its size.
//
// One reduction, TSan's: within a stretch of a block with no call, a read of an address that is
// written later in the stretch (same pointer value, at least as wide) gets no hook — the write's
// hook checks everything the read's would have, at a point no synchronisation separates from it.
// The price is that a race on `x++` is reported as a write only. Calls, atomics and fences end a
// stretch: after instrumentation they are calls into the runtime, which may order the accesses.
#include <optional>
#include <vector>

#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "pass/pass.hpp"

namespace goro::instrument {
namespace {

// What an access is of: ordinary memory, an object's vtable pointer (its own hooks, so a report
// can say so and a destructor's store of an unchanged pointer is no write), or the calling thread's
// thread_local variable (its own hooks, checked in plain threads only).
enum class target { memory, vptr, thread_local_variable };

struct access {
  llvm::Instruction* inst;
  llvm::Value* addr;
  uint64_t bytes;
  bool write;
  target of = target::memory;
};

bool is_cross_thread_atomic(const llvm::Instruction& i) {
  if (auto* load = llvm::dyn_cast<llvm::LoadInst>(&i)) {
    return load->isAtomic() && load->getSyncScopeID() != llvm::SyncScope::SingleThread;
  }
  if (auto* store = llvm::dyn_cast<llvm::StoreInst>(&i)) {
    return store->isAtomic() && store->getSyncScopeID() != llvm::SyncScope::SingleThread;
  }
  return llvm::isa<llvm::AtomicRMWInst>(i) || llvm::isa<llvm::AtomicCmpXchgInst>(i) ||
         llvm::isa<llvm::FenceInst>(i);
}

// A call the runtime may see: not an intrinsic that stays inline (lifetime, dbg, assume, …).
bool ends_stretch(const llvm::Instruction& i) {
  if (is_cross_thread_atomic(i)) return true;
  if (!llvm::isa<llvm::CallBase>(i)) return false;
  return !llvm::isa<llvm::IntrinsicInst>(i) || llvm::isa<llvm::AnyMemIntrinsic>(i);
}

// Atomics visible to other threads are atomics.cpp's; a singlethread-scope atomic load or store
// (signal handler synchronisation) is an ordinary access between threads.
std::optional<access> as_access(llvm::Instruction& i, const llvm::DataLayout& dl) {
  llvm::Value* addr = nullptr;
  llvm::Type* type = nullptr;
  bool write = false;
  if (auto* load = llvm::dyn_cast<llvm::LoadInst>(&i)) {
    addr = load->getPointerOperand();
    type = load->getType();
  } else if (auto* store = llvm::dyn_cast<llvm::StoreInst>(&i)) {
    addr = store->getPointerOperand();
    type = store->getValueOperand()->getType();
    write = true;
  } else {
    return std::nullopt;
  }
  if (is_cross_thread_atomic(i) || addr->getType()->getPointerAddressSpace() != 0 ||
      addr->isSwiftError()) {
    return std::nullopt;
  }
  llvm::TypeSize size = dl.getTypeStoreSize(type);
  if (size.isScalable() || size.getFixedSize() == 0) return std::nullopt;
  return access{&i, addr, size.getFixedSize(), write};
}

void insert_hook(const access& a, runtime_hooks& hooks) {
  llvm::IRBuilder<> irb(a.inst);  // carries the access's debug location: reports name its line
  llvm::Value* ptr = irb.CreatePointerCast(a.addr, irb.getInt8PtrTy());
  if (a.of == target::thread_local_variable) {
    irb.CreateCall(hooks.tls_access(a.write),
                   {ptr, llvm::ConstantInt::get(hooks.intptr_type(), a.bytes)});
    return;
  }
  if (a.of == target::vptr) {
    if (!a.write) {
      irb.CreateCall(hooks.vptr_read(), {ptr});
      return;
    }
    llvm::Value* stored = llvm::cast<llvm::StoreInst>(a.inst)->getValueOperand();
    irb.CreateCall(hooks.vptr_update(), {ptr, irb.CreatePointerCast(stored, irb.getInt8PtrTy())});
    return;
  }
  int index = runtime_hooks::size_index(a.bytes);
  if (index >= 0) {
    irb.CreateCall(hooks.access(a.write, index), {ptr});
  } else {
    irb.CreateCall(hooks.access_range(a.write),
                   {ptr, llvm::ConstantInt::get(hooks.intptr_type(), a.bytes)});
  }
}

}  // namespace

bool instrument_accesses(llvm::Function& f, runtime_hooks& hooks, private_memory& priv) {
  const llvm::DataLayout& dl = f.getParent()->getDataLayout();
  std::vector<access> chosen;
  llvm::SmallVector<access, 16> stretch;

  // Walking a stretch backwards, a read is covered when a later write of the stretch has the same
  // address and at least its width (ordinary memory only: the other hooks check differently).
  auto close_stretch = [&] {
    llvm::SmallDenseMap<llvm::Value*, uint64_t, 16> written;
    for (auto it = stretch.rbegin(); it != stretch.rend(); ++it) {
      if (it->of != target::memory) {
        // Checked as it is.
      } else if (it->write) {
        uint64_t& width = written[it->addr];
        width = std::max(width, it->bytes);
      } else if (auto w = written.find(it->addr); w != written.end() && w->second >= it->bytes) {
        continue;
      }
      chosen.push_back(*it);
    }
    stretch.clear();
  };

  for (llvm::BasicBlock& bb : f) {
    for (llvm::Instruction& i : bb) {
      if (ends_stretch(i)) {
        close_stretch();
        continue;
      }
      if (has_nosanitize(i)) continue;
      std::optional<access> a = as_access(i, dl);
      if (!a) continue;
      if (!a->write && private_memory::reads_immutable(i)) continue;
      if (is_thread_local_address(a->addr)) {
        a->of = target::thread_local_variable;
      } else if (priv.contains(a->addr)) {
        continue;
      } else if (is_vtable_pointer_access(i) && a->bytes == 8 &&
                 (!a->write ||
                  llvm::cast<llvm::StoreInst>(i).getValueOperand()->getType()->isPointerTy())) {
        a->of = target::vptr;
      }
      stretch.push_back(*a);
    }
    close_stretch();
  }

  for (const access& a : chosen) insert_hook(a, hooks);
  return !chosen.empty();
}

}  // namespace goro::instrument
