// Paths through a function: "can control get from here to there without passing that?", asked of
// clang's CFG. The goroutine-capture checks ask whether a function can return, or a captured
// variable's lifetime end, after a `goro::go` without a wait in between; the lock check asks
// whether it can return after `lock()` without an `unlock()`.
//
// The CFG is built with every statement as an element (so a call found by a matcher is found in
// it) and with lifetime ends (so leaving a variable's scope, by falling off a block, a break or a
// return, is an element too). Exceptions make no edges: a check answers for the normal paths.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/Analysis/CFG.h>
#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/STLFunctionalExtras.h>

#include <memory>

namespace goro::vet {

// A boolean variable whose value is known on the paths asked about: the spawn sits in
// `if (parallel) {…}`, so a later `if (parallel) wg.wait();` is taken on those paths.
struct known_condition {
  const clang::VarDecl* var;
  bool value;
};

class function_paths {
 public:
  // Null when the function has no body or its CFG cannot be built (uninstantiated templates).
  static std::unique_ptr<function_paths> of(const clang::FunctionDecl* function,
                                            clang::ASTContext& context);

  // Whether some path leads from just after `from` to an element `arrives` accepts, or to the
  // function's exit, without meeting an element `stops` accepts. A path ends without arriving at
  // a call that does not return. At a branch on a variable of `known` (`if (v)`, `if (!v)`),
  // only the side its value takes is followed. False when `from` is not in the CFG.
  bool reaches(const clang::Stmt* from, llvm::function_ref<bool(const clang::CFGElement&)> arrives,
               llvm::function_ref<bool(const clang::CFGElement&)> stops,
               llvm::ArrayRef<known_condition> known = {}) const;

 private:
  explicit function_paths(std::unique_ptr<clang::CFG> cfg) : cfg_(std::move(cfg)) {}

  std::unique_ptr<clang::CFG> cfg_;
};

}  // namespace goro::vet
