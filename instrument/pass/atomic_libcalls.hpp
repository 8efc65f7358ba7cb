// The __atomic_* library calls clang emits for atomics it cannot inline (16 bytes without -mcx16,
// misaligned ones), recognised and replaced by the same hooks as the IR atomics of atomics.cpp.
// Separate from those: a call's values travel through its arguments and, for the generic forms,
// through memory buffers, and its orders are already C11 values.
#pragma once

#include <optional>

#include "llvm/IR/Instructions.h"
#include "pass/pass.hpp"

namespace goro::instrument {

enum class libcall_op { load, store, exchange, compare_exchange, fetch, op_fetch };

struct libcall {
  libcall_op op;
  llvm::StringRef rmw;  // the hook's fetch_<op>, for fetch / op_fetch
  bool generic;         // __atomic_<op>(size, ...): values travel through buffers
  int index;            // size index
};

// The call's shape if it is an __atomic_* call the hooks cover (sized _1 … _16, or generic of a
// constant size 1 … 16 bytes), else nothing.
std::optional<libcall> parse_libcall(const llvm::CallInst& call);
// The atomic object's address.
llvm::Value* libcall_address(const llvm::CallInst& call, const libcall& lc);
// Replaces the call by the hook that performs it.
void replace_libcall(llvm::CallInst* call, const libcall& lc, runtime_hooks& hooks);

}  // namespace goro::instrument
