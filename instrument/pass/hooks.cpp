// The runtime's C ABI as IR declarations: the one place that spells the hook names and signatures
// of detector/include/goro/race_abi.h (the plugin never includes that header; a mismatch here is a
// silent miscompile, so tests/instrument links instrumented code against a C implementation of
// the header to keep the two honest).
//
// Declarations are created on first use, so a module only mentions the hooks it calls. Attributes
// follow what clang emits for the header: every hook nounwind (a call never becomes an invoke),
// 8- and 16-bit values zeroext, and the slow stack check cold.
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "pass/pass.hpp"

namespace goro::instrument {

runtime_hooks::runtime_hooks(llvm::Module& m)
    : m_(m),
      intptr_(m.getDataLayout().getIntPtrType(m.getContext())),
      order_(llvm::Type::getInt32Ty(m.getContext())) {}

int runtime_hooks::size_index(uint64_t bytes) {
  switch (bytes) {
    case 1:
      return 0;
    case 2:
      return 1;
    case 4:
      return 2;
    case 8:
      return 3;
    case 16:
      return 4;
    default:
      return -1;
  }
}

llvm::IntegerType* runtime_hooks::value_type(int index) const {
  return llvm::Type::getIntNTy(m_.getContext(), 8u << index);
}

bool runtime_hooks::is_hook(const llvm::Function& f) { return f.getName().startswith("__goro_"); }

llvm::FunctionCallee runtime_hooks::declare(llvm::StringRef name, llvm::Type* result,
                                            llvm::ArrayRef<llvm::Type*> params, bool zext_values) {
  llvm::LLVMContext& ctx = m_.getContext();
  auto* type = llvm::FunctionType::get(result, params, false);
  llvm::AttributeList attrs;
  attrs = attrs.addFnAttribute(ctx, llvm::Attribute::NoUnwind);
  if (zext_values) {
    // Narrow integers are extended by the caller (clang's x86-64 convention, which the runtime's
    // own compiler relies on).
    auto narrow = [](llvm::Type* t) { return t->isIntegerTy(8) || t->isIntegerTy(16); };
    if (narrow(result)) attrs = attrs.addRetAttribute(ctx, llvm::Attribute::ZExt);
    for (unsigned i = 0; i < params.size(); ++i) {
      if (narrow(params[i])) attrs = attrs.addParamAttribute(ctx, i, llvm::Attribute::ZExt);
    }
  }
  llvm::FunctionCallee callee = m_.getOrInsertFunction(name, type, attrs);
  if (auto* fn = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
    // A declaration clang made from race_abi.h may already exist; nounwind it all the same.
    fn->addFnAttr(llvm::Attribute::NoUnwind);
  }
  return callee;
}

// The access checks are placed before optimisation when every source access is kept
// (instrument_pass.cpp), so what they tell the optimiser matters: each only reads the memory it is
// given (readonly, nocapture: the access it stands for is not moved across it, and no store is
// believed clobbered) besides the detector's own state (inaccessible memory: the call is never
// deleted or merged, and stays in order with other calls and atomics). No willreturn, so a check
// whose access was dead still counts as a side effect and stays.
llvm::FunctionCallee runtime_hooks::declare_check(llvm::StringRef name,
                                                  llvm::ArrayRef<llvm::Type*> params) {
  llvm::FunctionCallee callee =
      declare(name, llvm::Type::getVoidTy(m_.getContext()), params, false);
  if (auto* fn = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
    fn->addFnAttr(llvm::Attribute::InaccessibleMemOrArgMemOnly);
    fn->addParamAttr(0, llvm::Attribute::NoCapture);
    fn->addParamAttr(0, llvm::Attribute::ReadOnly);
  }
  return callee;
}

llvm::FunctionCallee runtime_hooks::access(bool write, int index) {
  std::string name = (write ? "__goro_write" : "__goro_read") + std::to_string(1u << index);
  return declare_check(name, {llvm::Type::getInt8PtrTy(m_.getContext())});
}

llvm::FunctionCallee runtime_hooks::access_range(bool write) {
  return declare_check(write ? "__goro_write_range" : "__goro_read_range",
                       {llvm::Type::getInt8PtrTy(m_.getContext()), intptr_});
}

llvm::FunctionCallee runtime_hooks::vptr_read() {
  return declare_check("__goro_vptr_read", {llvm::Type::getInt8PtrTy(m_.getContext())});
}

llvm::FunctionCallee runtime_hooks::vptr_update() {
  llvm::Type* ptr = llvm::Type::getInt8PtrTy(m_.getContext());
  return declare_check("__goro_vptr_update", {ptr, ptr});
}

llvm::FunctionCallee runtime_hooks::tls_access(bool write) {
  return declare_check(write ? "__goro_tls_write" : "__goro_tls_read",
                       {llvm::Type::getInt8PtrTy(m_.getContext()), intptr_});
}

llvm::FunctionCallee runtime_hooks::free_hint() {
  return declare("__goro_free_hint", llvm::Type::getVoidTy(m_.getContext()),
                 {llvm::Type::getInt8PtrTy(m_.getContext())}, false);
}

llvm::FunctionCallee runtime_hooks::memcpy_hook(bool move) {
  llvm::Type* ptr = llvm::Type::getInt8PtrTy(m_.getContext());
  return declare(move ? "__goro_memmove" : "__goro_memcpy", ptr, {ptr, ptr, intptr_}, false);
}

llvm::FunctionCallee runtime_hooks::memset_hook() {
  llvm::Type* ptr = llvm::Type::getInt8PtrTy(m_.getContext());
  return declare("__goro_memset", ptr, {ptr, llvm::Type::getInt32Ty(m_.getContext()), intptr_},
                 false);
}

llvm::FunctionCallee runtime_hooks::func_enter() {
  llvm::Type* ptr = llvm::Type::getInt8PtrTy(m_.getContext());
  return declare("__goro_func_enter", llvm::Type::getVoidTy(m_.getContext()), {ptr}, false);
}

llvm::FunctionCallee runtime_hooks::func_exit() {
  return declare("__goro_func_exit", llvm::Type::getVoidTy(m_.getContext()), {}, false);
}

llvm::FunctionCallee runtime_hooks::stack_live() {
  return declare("__goro_stack_live", llvm::Type::getVoidTy(m_.getContext()),
                 {llvm::Type::getInt8PtrTy(m_.getContext()), intptr_}, false);
}

llvm::FunctionCallee runtime_hooks::stack_dead() {
  return declare("__goro_stack_dead", llvm::Type::getVoidTy(m_.getContext()),
                 {llvm::Type::getInt8PtrTy(m_.getContext()), intptr_}, false);
}

llvm::FunctionCallee runtime_hooks::atomic_load(int index) {
  llvm::IntegerType* t = value_type(index);
  std::string name = "__goro_atomic" + std::to_string(8u << index) + "_load";
  return declare(name, t, {t->getPointerTo(), order_}, true);
}

llvm::FunctionCallee runtime_hooks::atomic_store(int index) {
  llvm::IntegerType* t = value_type(index);
  std::string name = "__goro_atomic" + std::to_string(8u << index) + "_store";
  return declare(name, llvm::Type::getVoidTy(m_.getContext()), {t->getPointerTo(), t, order_},
                 true);
}

llvm::FunctionCallee runtime_hooks::atomic_rmw(llvm::StringRef op, int index) {
  llvm::IntegerType* t = value_type(index);
  std::string name = "__goro_atomic" + std::to_string(8u << index) + "_" + op.str();
  return declare(name, t, {t->getPointerTo(), t, order_}, true);
}

llvm::FunctionCallee runtime_hooks::atomic_compare_exchange(int index) {
  llvm::IntegerType* t = value_type(index);
  std::string name = "__goro_atomic" + std::to_string(8u << index) + "_compare_exchange_val";
  return declare(name, t, {t->getPointerTo(), t, t, order_, order_}, true);
}

llvm::FunctionCallee runtime_hooks::fence(bool signal_only) {
  return declare(signal_only ? "__goro_atomic_signal_fence" : "__goro_atomic_thread_fence",
                 llvm::Type::getVoidTy(m_.getContext()), {order_}, false);
}

llvm::FunctionCallee runtime_hooks::race_init() {
  return declare("__goro_race_init_v1", llvm::Type::getVoidTy(m_.getContext()), {}, false);
}

llvm::FunctionCallee runtime_hooks::stack_check_slow() {
  llvm::FunctionCallee callee = declare(
      "__goro_stack_check_slow", llvm::Type::getVoidTy(m_.getContext()), {intptr_, intptr_}, false);
  if (auto* fn = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
    fn->addFnAttr(llvm::Attribute::Cold);
  }
  return callee;
}

llvm::Constant* runtime_hooks::stack_guard() {
  llvm::Constant* guard = m_.getOrInsertGlobal("__goro_stack_guard", intptr_);
  auto* global = llvm::dyn_cast<llvm::GlobalVariable>(guard->stripPointerCasts());
  if (global != nullptr && global->isDeclaration()) {
    // Initial-exec: the guard lives in the executable's static TLS block, so each read is one
    // %fs-relative load with no call; the runtime is a static archive, which guarantees that.
    global->setThreadLocalMode(llvm::GlobalValue::InitialExecTLSModel);
  }
  return guard;
}

llvm::Constant* runtime_hooks::instrumented_marker() {
  llvm::Constant* marker =
      m_.getOrInsertGlobal("__goro_instrumented_v1", llvm::Type::getInt32Ty(m_.getContext()));
  auto* global = llvm::dyn_cast<llvm::GlobalVariable>(marker->stripPointerCasts());
  if (global != nullptr && global->isDeclaration()) global->setConstant(true);
  return marker;
}

}  // namespace goro::instrument
