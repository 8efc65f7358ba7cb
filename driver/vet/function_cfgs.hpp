// The CFGs of one translation unit's functions, built when a check first asks and kept for the
// unit: a function with ten goro::go calls or ten lock() calls is analysed once.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>

#include <map>
#include <memory>

#include "paths.hpp"

namespace goro::vet {

class function_cfgs {
 public:
  // Null when the function has no CFG (see function_paths::of).
  const function_paths* of(const clang::FunctionDecl* function, clang::ASTContext& context) {
    auto [it, added] = built_.try_emplace(function);
    if (added) it->second = function_paths::of(function, context);
    return it->second.get();
  }

 private:
  std::map<const clang::FunctionDecl*, std::unique_ptr<function_paths>> built_;
};

}  // namespace goro::vet
