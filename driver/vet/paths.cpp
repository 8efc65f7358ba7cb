// Paths through a function's CFG (paths.hpp).
#include "paths.hpp"

#include <llvm/ADT/BitVector.h>
#include <llvm/ADT/SmallVector.h>

#include <utility>

namespace goro::vet {

using namespace clang;

std::unique_ptr<function_paths> function_paths::of(const FunctionDecl* function,
                                                   ASTContext& context) {
  Stmt* body = function->getBody();
  if (body == nullptr || function->isDependentContext()) return nullptr;
  CFG::BuildOptions options;
  options.setAllAlwaysAdd();
  options.AddLifetime = true;
  std::unique_ptr<CFG> cfg = CFG::buildCFG(function, body, &context, options);
  if (cfg == nullptr) return nullptr;
  return std::unique_ptr<function_paths>(new function_paths(std::move(cfg)));
}

namespace {

// The successor a two-way branch on a known variable takes: 0 (true) or 1 (false); -1 if the
// branch is on something else.
int known_side(const CFGBlock& block, llvm::ArrayRef<known_condition> known) {
  const Stmt* condition = block.getTerminatorCondition();
  if (condition == nullptr || block.succ_size() != 2 || known.empty()) return -1;
  bool negated = false;
  const Expr* e = cast<Expr>(condition)->IgnoreParenImpCasts();
  while (const auto* op = dyn_cast<UnaryOperator>(e)) {
    if (op->getOpcode() != UO_LNot) return -1;
    negated = !negated;
    e = op->getSubExpr()->IgnoreParenImpCasts();
  }
  const auto* ref = dyn_cast<DeclRefExpr>(e);
  if (ref == nullptr) return -1;
  for (const known_condition& k : known) {
    if (k.var == ref->getDecl()) return k.value != negated ? 0 : 1;
  }
  return -1;
}

}  // namespace

bool function_paths::reaches(const Stmt* from, llvm::function_ref<bool(const CFGElement&)> arrives,
                             llvm::function_ref<bool(const CFGElement&)> stops,
                             llvm::ArrayRef<known_condition> known) const {
  // Where `from` is: its block and the index of the element after it.
  const CFGBlock* start = nullptr;
  std::size_t next = 0;
  for (const CFGBlock* block : *cfg_) {
    for (std::size_t i = 0; i < block->size() && start == nullptr; ++i) {
      if (auto s = (*block)[i].getAs<CFGStmt>(); s && s->getStmt() == from) {
        start = block;
        next = i + 1;
      }
    }
    if (start != nullptr) break;
  }
  if (start == nullptr) return false;

  // Depth-first over blocks; each block is entered at its first element at most once. The start
  // block is scanned from `next` first and may be entered again from the top through a loop.
  llvm::BitVector entered(cfg_->getNumBlockIDs());
  llvm::SmallVector<std::pair<const CFGBlock*, std::size_t>, 16> work = {{start, next}};
  while (!work.empty()) {
    auto [block, first] = work.pop_back_val();
    if (block == &cfg_->getExit()) return true;
    bool blocked = false;
    for (std::size_t i = first; i < block->size() && !blocked; ++i) {
      const CFGElement& element = (*block)[i];
      if (stops(element))
        blocked = true;
      else if (arrives(element))
        return true;
    }
    if (blocked || block->hasNoReturnElement()) continue;
    const int side = known_side(*block, known);
    int index = -1;
    for (const CFGBlock::AdjacentBlock& successor : block->succs()) {
      if (++index, side >= 0 && index != side) continue;
      const CFGBlock* to = successor.getReachableBlock();
      if (to == nullptr || entered.test(to->getBlockID())) continue;
      entered.set(to->getBlockID());
      work.push_back({to, 0});
    }
  }
  return false;
}

}  // namespace goro::vet
