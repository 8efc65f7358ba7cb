// waitgroup-add: WaitGroup::add called inside the goroutine it is meant to count (Go vet's
// waitgroup check). The spawner's wait() can run before the goroutine's add(), see a zero
// counter and return early.
//
// Reported when add() is called directly in the body of a lambda given to goro::go (not in a
// lambda nested inside it), on a WaitGroup from outside that body: a captured one, a member, a
// global. A WaitGroup the goroutine declares itself is its own business, and so are add(-n) and
// an add followed by a goro::go in the goroutine (it counts its own child, having been counted).
#include <clang/ASTMatchers/ASTMatchers.h>

#include "checks.hpp"
#include "goro_api.hpp"

namespace goro::vet {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

// add(-n) counts nothing down the road: it is a done().
bool takes_away(const ASTContext& context, const CXXMemberCallExpr* add) {
  Expr::EvalResult value;
  return add->getNumArgs() == 1 && add->getArg(0)->EvaluateAsInt(value, context) &&
         value.Val.getInt().isNegative();
}

// Whether `s` holds a goro::go after `add`: the goroutine, counted by its spawner, adds for a
// goroutine of its own.
bool spawns_after(const Stmt* s, const CXXMemberCallExpr* add, const SourceManager& sources) {
  return any_within(s, [&](const Stmt* e) {
    const auto* call = dyn_cast<CallExpr>(e);
    return call != nullptr && spawned_lambda(call) != nullptr &&
           sources.isBeforeInTranslationUnit(add->getBeginLoc(), call->getBeginLoc());
  });
}

class waitgroup_check : public MatchFinder::MatchCallback {
 public:
  explicit waitgroup_check(findings_sink& sink) : sink_(sink) {}

  void run(const MatchFinder::MatchResult& result) override {
    const auto* add = result.Nodes.getNodeAs<CXXMemberCallExpr>("add");
    ASTContext& context = *result.Context;
    const auto* lambda = dyn_cast_or_null<LambdaExpr>(
        enclosing_stmt(context, add, [](const Stmt* s) { return isa<LambdaExpr>(s); }));
    if (lambda == nullptr) return;
    const auto* spawn = dyn_cast_or_null<CallExpr>(
        enclosing_stmt(context, lambda, [](const Stmt* s) { return isa<CallExpr>(s); }));
    if (spawn == nullptr || spawned_lambda(spawn) != lambda) return;
    if (takes_away(context, add)) return;
    if (spawns_after(lambda->getBody(), add, context.getSourceManager())) return;
    if (const auto* ref = dyn_cast_or_null<DeclRefExpr>(receiver(add))) {
      if (ref->getDecl()->getDeclContext() == lambda->getCallOperator()) return;
    }
    sink_.report(context.getSourceManager(), add->getExprLoc(), "waitgroup-add",
                 "WaitGroup::add called inside the goroutine it counts: wait() can return before "
                 "it runs; call add before goro::go");
  }

 private:
  findings_sink& sink_;
};

}  // namespace

void add_waitgroup_check(MatchFinder& finder, findings_sink& sink, callbacks& owned) {
  auto check = std::make_unique<waitgroup_check>(sink);
  finder.addMatcher(cxxMemberCallExpr(callee(cxxMethodDecl(hasName("add"),
                                                           ofClass(hasName("::goro::WaitGroup")))))
                        .bind("add"),
                    check.get());
  owned.push_back(std::move(check));
}

}  // namespace goro::vet
