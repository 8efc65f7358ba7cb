// stack-capture and loop-capture: a goroutine that captured a local by reference and can outlive
// it.
//
// For each `goro::go(lambda)` / `goro::go_with_stack(n, lambda)`, every by-reference capture of a
// variable of the spawning function (not a reference itself, whose referent lives elsewhere), and
// `this` in a member function, is followed through the function's CFG from the spawn: if a path
// reaches the end of the variable's lifetime (leaving its scope, returning) without a wait for
// other goroutines (goro_api.hpp's is_wait, or a loop whose body waits), the goroutine can outlive
// it.
//
// A variable declared inside a loop around the spawn is loop-capture's instead, Go's loopclosure
// in C++ terms: a classic for loop's variable is shared by every iteration and changed by the
// increment (reported when a path reaches the increment without a wait), and a range-for variable
// or a body's local dies at the end of each iteration.
//
// A branch on a boolean the spawn's own position decides (`if (parallel) goro::go(…); …
// if (parallel) wg.wait();`) is followed on its known side only.
//
// `this` is not reported in a class whose destructor waits: the object cannot go before its
// goroutines do.
//
// The lambda given to goro::run (or to another function that never returns, a test harness's) is
// left alone: when it returns the process ends, as in Go.
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/StmtCXX.h>
#include <clang/ASTMatchers/ASTMatchers.h>

#include <string>

#include "checks.hpp"
#include "function_cfgs.hpp"
#include "goro_api.hpp"

namespace goro::vet {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

bool is_loop(const Stmt* s) {
  return isa<ForStmt>(s) || isa<CXXForRangeStmt>(s) || isa<WhileStmt>(s) || isa<DoStmt>(s);
}

// Whether `s` waits, itself or through the class's own member functions it calls on `this`
// (`~Pool() { shutdown(); }`), `depth` calls deep at most.
bool waits_through_members(const Stmt* s, const CXXRecordDecl* record, int depth) {
  return any_within(s, [record, depth](const Stmt* e) {
    if (is_wait(e)) return true;
    const auto* call = dyn_cast<CXXMemberCallExpr>(e);
    if (call == nullptr || depth == 0) return false;
    const CXXMethodDecl* method = call->getMethodDecl();
    const Expr* object = call->getImplicitObjectArgument();
    const FunctionDecl* definition = nullptr;
    return method != nullptr && object != nullptr &&
           isa<CXXThisExpr>(object->IgnoreParenImpCasts()) &&
           method->getParent()->getCanonicalDecl() == record->getCanonicalDecl() &&
           method->hasBody(definition) &&
           waits_through_members(definition->getBody(), record, depth - 1);
  });
}

// Whether the class's destructor waits (for its goroutines, presumably): then `this` outlives them.
bool destructor_waits(const CXXRecordDecl* record) {
  const CXXDestructorDecl* destructor = record->getDestructor();
  const FunctionDecl* definition = nullptr;
  return destructor != nullptr && destructor->hasBody(definition) &&
         waits_through_members(definition->getBody(), record, 3);
}

std::string function_name(const FunctionDecl* function) {
  const auto* method = dyn_cast<CXXMethodDecl>(function);
  if (method != nullptr && method->getParent()->isLambda()) return "the enclosing lambda";
  return "'" + function->getQualifiedNameAsString() + "'";
}

bool declared_within(const SourceManager& sources, const VarDecl* var, const Stmt* s) {
  const SourceLocation at = sources.getFileLoc(var->getLocation());
  return sources.isPointWithin(at, sources.getFileLoc(s->getBeginLoc()),
                               sources.getFileLoc(s->getEndLoc()));
}

// A wait (is_wait), or the condition of a loop whose body waits: `for (i = 0; i < n; i++)
// done.recv();` is taken to run at least once, as its writer means it to.
bool waits_for_goroutines(ASTContext& context, const CFGElement& element) {
  if (is_wait(element)) return true;
  auto s = element.getAs<CFGStmt>();
  if (!s || !isa<Expr>(s->getStmt())) return false;
  const DynTypedNodeList parents = context.getParents(*s->getStmt());
  if (parents.empty()) return false;
  const Stmt* body = nullptr;
  if (const auto* loop = parents[0].get<ForStmt>(); loop && loop->getCond() == s->getStmt()) {
    body = loop->getBody();
  } else if (const auto* loop = parents[0].get<WhileStmt>();
             loop && loop->getCond() == s->getStmt()) {
    body = loop->getBody();
  } else if (const auto* loop = parents[0].get<CXXForRangeStmt>();
             loop && loop->getCond() == s->getStmt()) {
    body = loop->getBody();
  }
  return body != nullptr && contains_wait(body);
}

// Whether `var` is declared in the function body's own block, not in a nested one.
bool in_outermost_scope(ASTContext& context, const VarDecl* var, const FunctionDecl* function) {
  for (const DynTypedNode& statement : context.getParents(*var)) {
    for (const DynTypedNode& block : context.getParents(statement)) {
      if (block.get<Stmt>() == function->getBody()) return true;
    }
  }
  return isa<ParmVarDecl>(var);
}

// The boolean variables the spawn's position decides: `if (v) { … goro::go(…); … }` means v is
// true wherever the goroutine runs; in the else branch, false.
std::vector<known_condition> conditions_of(ASTContext& context, const CallExpr* spawn) {
  std::vector<known_condition> known;
  const SourceManager& sources = context.getSourceManager();
  const auto within = [&](const Stmt* s) {
    return s != nullptr && sources.isPointWithin(sources.getFileLoc(spawn->getBeginLoc()),
                                                 sources.getFileLoc(s->getBeginLoc()),
                                                 sources.getFileLoc(s->getEndLoc()));
  };
  const Stmt* at = spawn;
  while ((at = enclosing_stmt(context, at, [](const Stmt* s) { return isa<IfStmt>(s); }))) {
    const auto* branch = cast<IfStmt>(at);
    bool value = within(branch->getThen());
    if (!value && !within(branch->getElse())) continue;  // in the condition itself
    const Expr* e = branch->getCond()->IgnoreParenImpCasts();
    while (const auto* op = dyn_cast<UnaryOperator>(e)) {
      if (op->getOpcode() != UO_LNot) break;
      value = !value;
      e = op->getSubExpr()->IgnoreParenImpCasts();
    }
    const auto* ref = dyn_cast<DeclRefExpr>(e);
    const auto* var = ref != nullptr ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
    if (var != nullptr && var->getType()->isBooleanType()) known.push_back({var, value});
  }
  return known;
}

bool ends_lifetime_of(const CFGElement& element, const VarDecl* var) {
  auto ends = element.getAs<CFGLifetimeEnds>();
  return ends && ends->getVarDecl() == var;
}

class capture_check : public MatchFinder::MatchCallback {
 public:
  explicit capture_check(findings_sink& sink) : sink_(sink) {}

  void run(const MatchFinder::MatchResult& result) override {
    const auto* spawn = result.Nodes.getNodeAs<CallExpr>("spawn");
    const LambdaExpr* lambda = spawned_lambda(spawn);
    if (lambda == nullptr) return;
    ASTContext& context = *result.Context;
    const FunctionDecl* function = enclosing_function(context, spawn);
    if (function == nullptr) return;
    const function_paths* paths = cfgs_.of(function, context);
    if (paths == nullptr) return;
    const bool main_lambda = in_run_main(context, spawn);
    const std::vector<known_condition> known = conditions_of(context, spawn);
    for (const LambdaCapture& capture : lambda->captures()) {
      // Implicit captures are reported at the capture default, the `[&` on the goro::go line,
      // where a NOLINT comment is written.
      const SourceLocation where =
          capture.isImplicit() ? lambda->getCaptureDefaultLoc() : capture.getLocation();
      if (capture.capturesThis() && capture.getCaptureKind() == LCK_This) {
        if (!main_lambda) check_this(context, spawn, *paths, known, function, where);
      } else if (capture.capturesVariable() && capture.getCaptureKind() == LCK_ByRef) {
        check_variable(context, spawn, *paths, known, function, capture.getCapturedVar(), where,
                       main_lambda);
      }
    }
  }

 private:
  void check_this(ASTContext& context, const CallExpr* spawn, const function_paths& paths,
                  llvm::ArrayRef<known_condition> known, const FunctionDecl* function,
                  SourceLocation where) {
    const auto* method = dyn_cast<CXXMethodDecl>(function);
    if (method == nullptr || method->getParent()->isLambda()) return;  // `this` is not its own
    if (destructor_waits(method->getParent())) return;
    const auto never = [](const CFGElement&) { return false; };
    const auto waits = [&context](const CFGElement& e) { return waits_for_goroutines(context, e); };
    if (!paths.reaches(spawn, never, waits, known)) return;
    sink_.report(context.getSourceManager(), where, "stack-capture",
                 "'this' is captured by goro::go, and " + function_name(function) +
                     " can return while the goroutine runs (no wait for it follows on every "
                     "path); wait for the goroutine, or give it a copy or a std::shared_ptr "
                     "that keeps the object alive");
  }

  // `main_lambda`: the spawn is in goro::run's lambda, whose end is the process's: only variables
  // of inner scopes (loops, blocks) can die under the goroutine.
  void check_variable(ASTContext& context, const CallExpr* spawn, const function_paths& paths,
                      llvm::ArrayRef<known_condition> known, const FunctionDecl* function,
                      const VarDecl* var, SourceLocation where, bool main_lambda) {
    if (var == nullptr || !var->hasLocalStorage() || var->getType()->isReferenceType() ||
        var->isInitCapture() || var->getDeclContext() != function) {
      return;
    }
    const SourceManager& sources = context.getSourceManager();
    const auto waits = [&context](const CFGElement& e) { return waits_for_goroutines(context, e); };
    const auto dies = [var](const CFGElement& e) { return ends_lifetime_of(e, var); };
    const std::string name = "'" + var->getNameAsString() + "'";

    // The innermost loop around the spawn that declares the variable, if any.
    const Stmt* loop = spawn;
    while ((loop = enclosing_stmt(context, loop, is_loop)) != nullptr &&
           !declared_within(sources, var, loop)) {
    }
    if (loop != nullptr) {
      const auto* for_loop = dyn_cast<ForStmt>(loop);
      if (for_loop != nullptr && for_loop->getInit() != nullptr &&
          declared_within(sources, var, for_loop->getInit())) {
        const Stmt* increment = for_loop->getInc();
        const auto changes = [&](const CFGElement& e) {
          auto s = e.getAs<CFGStmt>();
          return dies(e) || (s && increment != nullptr && s->getStmt() == increment);
        };
        if (!paths.reaches(spawn, changes, waits, known)) return;
        sink_.report(sources, where, "loop-capture",
                     "loop variable " + name +
                         " is captured by reference in goro::go: every iteration's goroutine "
                         "shares it, and the loop changes it under them; capture it by value");
        return;
      }
      if (!paths.reaches(spawn, dies, waits, known)) return;
      sink_.report(sources, where, "loop-capture",
                   "loop variable " + name +
                       " is captured by reference in goro::go, and it is destroyed at the end of "
                       "the iteration while the goroutine may still run; capture it by value");
      return;
    }
    if (main_lambda && in_outermost_scope(context, var, function)) return;
    if (!paths.reaches(spawn, dies, waits, known)) return;
    sink_.report(sources, where, "stack-capture",
                 "local " + name + " is captured by reference in goro::go, and " +
                     function_name(function) +
                     " can leave its scope while the goroutine runs (no wait for the goroutine "
                     "follows on every path); wait for it, or capture by value");
  }

  findings_sink& sink_;
  function_cfgs cfgs_;
};

}  // namespace

void add_capture_checks(MatchFinder& finder, findings_sink& sink, callbacks& owned) {
  auto check = std::make_unique<capture_check>(sink);
  finder.addMatcher(
      callExpr(callee(functionDecl(hasAnyName("::goro::go", "::goro::go_with_stack"))))
          .bind("spawn"),
      check.get());
  owned.push_back(std::move(check));
}

}  // namespace goro::vet
