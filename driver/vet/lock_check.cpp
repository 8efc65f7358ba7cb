// lock-unlock: Mutex::lock (or RWMutex::lock / lock_shared) with a path out of the function on
// which the mutex is not unlocked: an early return or break inside a critical section. The next
// lock() of that mutex blocks forever.
//
// Followed through the function's CFG from the lock() to the exit: a path is closed by an unlock()
// / unlock_shared() of the mutex, or of any mutex that may be it spelt another way (through a
// pointer, a reference, an index), by a call of the program's own function that unlocks it, or by
// handing the lock to a guard (`std::lock_guard g(mu, std::adopt_lock)`).
//
// Left alone, because they return with a lock held on purpose or hand it on:
// - constructors (a guard's) and functions named like a lock operation (…lock…, …acquire…);
// - functions that unlock the mutex before locking it again (Cond::wait's shape: they return with
//   the lock their caller held);
// - a member mutex that a method locks and never unlocks (begin/commit pairs);
// - a mutex unlocked elsewhere in the outermost function around the lock(), by another
//   goroutine's lambda (Go lets one goroutine unlock what another locked);
// - the lambda given to goro::run, whose end is the process's;
// - mutexes that are neither a variable nor a member (`get_mu().lock()`).
#include <clang/AST/ParentMapContext.h>
#include <clang/ASTMatchers/ASTMatchers.h>
#include <llvm/ADT/StringExtras.h>

#include <string>

#include "checks.hpp"
#include "function_cfgs.hpp"
#include "goro_api.hpp"

namespace goro::vet {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

bool is_goro_lock_class(const CXXRecordDecl* record) {
  return is_named(record, "goro", "Mutex") || is_named(record, "goro", "RWMutex");
}

bool returns_with_lock_by_design(const FunctionDecl* function) {
  if (isa<CXXConstructorDecl>(function)) return true;
  if (!function->getDeclName().isIdentifier()) return false;
  const std::string name = llvm::StringRef(function->getName()).lower();
  return name.find("lock") != std::string::npos || name.find("acquire") != std::string::npos;
}

// Whether two mutex expressions surely name different objects: two variables that are not
// references, two fields of *this, or one of each. Anything reached through a pointer, a
// reference or an index may be the same mutex spelt another way.
bool surely_different(const Expr* a, const Expr* b) {
  const auto plain = [](const Expr* e) {
    if (const auto* ref = dyn_cast<DeclRefExpr>(e)) {
      const auto* var = dyn_cast<VarDecl>(ref->getDecl());
      return var != nullptr && !var->getType()->isReferenceType();
    }
    const auto* member = dyn_cast<MemberExpr>(e);
    return member != nullptr && isa<CXXThisExpr>(member->getBase()->IgnoreParenImpCasts());
  };
  return plain(a) && plain(b) && !same_object(a, b);
}

// An unlock of `mutex`, or of a mutex that may be it.
bool is_unlock_of(const Stmt* s, const Expr* mutex) {
  const auto* call = dyn_cast<CXXMemberCallExpr>(s);
  if (call == nullptr) return false;
  const CXXMethodDecl* method = call->getMethodDecl();
  return method != nullptr && is_goro_lock_class(method->getParent()) &&
         method->getDeclName().isIdentifier() &&
         (method->getName() == "unlock" || method->getName() == "unlock_shared") &&
         !surely_different(receiver(call), mutex);
}

// Whether `s` holds an unlock of `mutex` anywhere.
bool unlocks(const Stmt* s, const Expr* mutex) {
  return any_within(s, [mutex](const Stmt* e) { return is_unlock_of(e, mutex); });
}

// A member function that locks a member mutex and never unlocks it leaves that to another
// (begin/commit).
bool locks_for_another_method(const FunctionDecl* function, const Expr* mutex) {
  const auto* member = dyn_cast<MemberExpr>(mutex);
  return member != nullptr && isa<CXXThisExpr>(member->getBase()->IgnoreParenImpCasts()) &&
         !unlocks(function->getBody(), mutex);
}

// Whether the element releases `mutex`: an unlock on it, or a guard adopting its lock.
bool releases(const CFGElement& element, const Expr* mutex) {
  auto s = element.getAs<CFGStmt>();
  if (!s) return false;
  if (is_unlock_of(s->getStmt(), mutex)) return true;
  // A function of the program that unlocks it: `release_all()` with `mu_.unlock()` inside.
  if (const auto* call = dyn_cast<CallExpr>(s->getStmt())) {
    const FunctionDecl* callee = user_definition(call);
    return callee != nullptr && unlocks(callee->getBody(), mutex);
  }
  if (const auto* construct = dyn_cast<CXXConstructExpr>(s->getStmt())) {
    bool adopts = false;
    bool of_mutex = false;
    for (const Expr* arg : construct->arguments()) {
      const CXXRecordDecl* type = arg->getType()->getAsCXXRecordDecl();
      adopts = adopts || (type != nullptr && is_named(type, "std", "adopt_lock_t"));
      of_mutex = of_mutex || same_object(arg, mutex);
    }
    return adopts && of_mutex;
  }
  return false;
}

// Whether `s` holds an unlock of `mutex` that comes before `lock` in the source.
bool unlocks_before(const SourceManager& sources, const Stmt* s, const Expr* mutex,
                    const CXXMemberCallExpr* lock) {
  return any_within(s, [&](const Stmt* e) {
    return is_unlock_of(e, mutex) &&
           sources.isBeforeInTranslationUnit(e->getBeginLoc(), lock->getBeginLoc());
  });
}

// Whether `s`, a statement of the function `current`, holds an unlock of `mutex` in another
// function than `function`: in another goroutine's lambda, or around the lambda that locks.
bool unlocks_elsewhere(const Stmt* s, const FunctionDecl* current, const Expr* mutex,
                       const FunctionDecl* function) {
  if (s == nullptr) return false;
  if (current != function && is_unlock_of(s, mutex)) return true;
  if (const auto* lambda = dyn_cast<LambdaExpr>(s)) {
    return unlocks_elsewhere(lambda->getBody(), lambda->getCallOperator(), mutex, function);
  }
  for (const Stmt* child : s->children()) {
    if (unlocks_elsewhere(child, current, mutex, function)) return true;
  }
  return false;
}

// The outermost function around `function`: itself unless it is a lambda's call operator.
const FunctionDecl* outermost(ASTContext& context, const FunctionDecl* function) {
  while (const auto* method = dyn_cast<CXXMethodDecl>(function)) {
    if (!method->getParent()->isLambda()) break;
    const FunctionDecl* outer = nullptr;
    for (const DynTypedNode& record : context.getParents(*method)) {
      for (const DynTypedNode& p : context.getParents(record)) {
        if (const auto* lambda = p.get<LambdaExpr>()) outer = enclosing_function(context, lambda);
      }
    }
    if (outer == nullptr) break;
    function = outer;
  }
  return function;
}

bool handed_over(ASTContext& context, const FunctionDecl* function, const Expr* mutex) {
  const FunctionDecl* outer = outermost(context, function);
  return unlocks_elsewhere(outer->getBody(), outer, mutex, function);
}

class lock_check : public MatchFinder::MatchCallback {
 public:
  explicit lock_check(findings_sink& sink) : sink_(sink) {}

  void run(const MatchFinder::MatchResult& result) override {
    const auto* lock = result.Nodes.getNodeAs<CXXMemberCallExpr>("lock");
    ASTContext& context = *result.Context;
    const Expr* mutex = receiver(lock);
    if (mutex == nullptr || !(isa<DeclRefExpr>(mutex) || isa<MemberExpr>(mutex))) return;
    const FunctionDecl* function = enclosing_function(context, lock);
    if (function == nullptr || returns_with_lock_by_design(function) ||
        in_run_main(context, lock) ||
        unlocks_before(context.getSourceManager(), function->getBody(), mutex, lock) ||
        handed_over(context, function, mutex) || locks_for_another_method(function, mutex)) {
      return;
    }
    const function_paths* paths = cfgs_.of(function, context);
    if (paths == nullptr) return;
    const auto never = [](const CFGElement&) { return false; };
    const auto unlocked = [mutex](const CFGElement& e) { return releases(e, mutex); };
    if (!paths->reaches(lock, never, unlocked)) return;
    const std::string call =
        name_in_source(mutex) + "." + lock->getMethodDecl()->getNameAsString() + "()";
    sink_.report(context.getSourceManager(), lock->getExprLoc(), "lock-unlock",
                 "'" + call +
                     "' is not unlocked on every path out of the function: the next lock "
                     "blocks forever; prefer std::lock_guard or std::unique_lock");
  }

 private:
  findings_sink& sink_;
  function_cfgs cfgs_;
};

}  // namespace

void add_lock_check(MatchFinder& finder, findings_sink& sink, callbacks& owned) {
  auto check = std::make_unique<lock_check>(sink);
  finder.addMatcher(cxxMemberCallExpr(callee(cxxMethodDecl(
                                          hasAnyName("lock", "lock_shared"),
                                          ofClass(hasAnyName("::goro::Mutex", "::goro::RWMutex")))))
                        .bind("lock"),
                    check.get());
  owned.push_back(std::move(check));
}

}  // namespace goro::vet
