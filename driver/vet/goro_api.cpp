// Recognising goro's API in clang's AST (goro_api.hpp).
#include "goro_api.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/StmtCXX.h>
#include <llvm/ADT/SmallVector.h>

namespace goro::vet {
namespace {

using namespace clang;

// `decl`'s enclosing namespaces, outermost first, inline ones (std::__1) left out.
llvm::SmallVector<llvm::StringRef, 4> namespaces_of(const Decl* decl) {
  llvm::SmallVector<llvm::StringRef, 4> names;
  for (const DeclContext* dc = decl->getDeclContext(); dc != nullptr; dc = dc->getParent()) {
    const auto* ns = dyn_cast<NamespaceDecl>(dc);
    if (ns == nullptr) {
      if (!dc->isTranslationUnit() && !isa<LinkageSpecDecl>(dc)) return {"<not a namespace>"};
      continue;
    }
    if (!ns->isInline()) names.insert(names.begin(), ns->getName());
  }
  return names;
}

bool calls_function(const CallExpr* call, llvm::StringRef ns, llvm::StringRef name) {
  const FunctionDecl* callee = call->getDirectCallee();
  return callee != nullptr && is_named(callee, ns, name);
}

// Whether `s` is a call of goro::after or of a Timer's or Ticker's c(): a channel that fires by
// itself.
bool is_timer_channel(const Stmt* s) {
  const auto* call = dyn_cast<CallExpr>(s);
  if (call == nullptr) return false;
  if (calls_function(call, "goro", "after")) return true;
  const auto* member = dyn_cast<CXXMemberCallExpr>(call);
  return member != nullptr && (calls_method(member, "goro", "Timer", "c") ||
                               calls_method(member, "goro", "Ticker", "c"));
}

// Whether a goro::select waits for its goroutines: not with a default_case, which does not
// block, nor with a case on a timer, which gives up waiting.
bool select_waits(const CallExpr* call) {
  for (const Expr* arg : call->arguments()) {
    const CXXRecordDecl* type = arg->getType()->getAsCXXRecordDecl();
    if (type != nullptr && is_named(type, "goro::detail", "default_case_t")) return false;
    if (any_within(arg, is_timer_channel)) return false;
  }
  return true;
}

// Whether `stmt` or a statement inside it waits, looking `depth` calls deep.
bool body_waits(const Stmt* stmt, int depth) {
  return any_within(stmt, [depth](const Stmt* s) { return waits_within(s, depth); });
}

// A lambda called where it is made, `[&] { wg.wait(); }();`, waits if its body does. The body is
// searched with the caller's depth, so mutual recursion through such lambdas ends.
bool calls_a_waiting_lambda(const CallExpr* call, int depth) {
  const auto* op = dyn_cast<CXXOperatorCallExpr>(call);
  if (op == nullptr || op->getOperator() != OO_Call || op->getNumArgs() == 0) return false;
  const auto* lambda = dyn_cast<LambdaExpr>(op->getArg(0)->IgnoreUnlessSpelledInSource());
  return lambda != nullptr && body_waits(lambda->getBody(), depth);
}

// Whether `s` holds a lambda whose body waits: a scope guard's initialiser.
bool holds_waiting_lambda(const Stmt* s) {
  return any_within(s, [](const Stmt* e) {
    const auto* lambda = dyn_cast<LambdaExpr>(e);
    return lambda != nullptr && contains_wait(lambda->getBody());
  });
}

bool is_waiting_method(const CXXMemberCallExpr* call) {
  struct method {
    const char* ns;
    const char* cls;
    const char* name;
  };
  static constexpr method kWaits[] = {
      {"goro", "chan", "send"},  {"goro", "chan", "recv"}, {"goro", "chan", "recv_ok"},
      {"goro", "chan", "begin"}, {"std", "future", "get"}, {"std", "shared_future", "get"},
  };
  for (const method& m : kWaits) {
    if (calls_method(call, m.ns, m.cls, m.name)) return true;
  }
  return false;
}

// A function or method whose name says it waits: wait, wait_for, wait_all, join, join_all,
// arrive_and_wait... WaitGroup, Cond, std::thread, std::latch, futures and the project's own
// latches and pools all spell their waits so.
bool has_waiting_name(const CallExpr* call) {
  const FunctionDecl* callee = call->getDirectCallee();
  if (callee == nullptr || !callee->getDeclName().isIdentifier()) return false;
  const llvm::StringRef name = callee->getName();
  return name.startswith("wait") || name.startswith("join") || name.endswith("_wait") ||
         name.endswith("_join");
}

// The lambda expression whose call operator is `method`, or null. A lambda's body has its call
// operator for parent, which has the closure class, which has the LambdaExpr.
const LambdaExpr* lambda_of(ASTContext& context, const CXXMethodDecl* method) {
  if (!method->getParent()->isLambda()) return nullptr;
  for (const DynTypedNode& record : context.getParents(*method)) {
    for (const DynTypedNode& p : context.getParents(record)) {
      if (const auto* lambda = p.get<LambdaExpr>()) return lambda;
    }
  }
  return nullptr;
}

}  // namespace

bool is_named(const NamedDecl* decl, llvm::StringRef ns, llvm::StringRef name) {
  if (decl == nullptr || !decl->getDeclName().isIdentifier() || decl->getName() != name) {
    return false;
  }
  llvm::SmallVector<llvm::StringRef, 4> wanted;
  ns.split(wanted, "::");
  return namespaces_of(decl) == wanted;
}

bool calls_method(const CXXMemberCallExpr* call, llvm::StringRef ns, llvm::StringRef cls,
                  llvm::StringRef name) {
  const CXXMethodDecl* method = call->getMethodDecl();
  return method != nullptr && method->getDeclName().isIdentifier() && method->getName() == name &&
         is_named(method->getParent(), ns, cls);
}

const Expr* receiver(const CXXMemberCallExpr* call) {
  const Expr* object = call->getImplicitObjectArgument();
  return object != nullptr ? object->IgnoreParenImpCasts() : nullptr;
}

const LambdaExpr* spawned_lambda(const CallExpr* call) {
  unsigned index = 0;
  if (calls_function(call, "goro", "go_with_stack")) {
    index = 1;
  } else if (!calls_function(call, "goro", "go")) {
    return nullptr;
  }
  if (call->getNumArgs() <= index) return nullptr;
  const Expr* f = call->getArg(index)->IgnoreUnlessSpelledInSource();
  // `auto task = [&] {…}; goro::go(task);`
  if (const auto* ref = dyn_cast<DeclRefExpr>(f)) {
    const auto* var = dyn_cast<VarDecl>(ref->getDecl());
    if (var == nullptr || !var->hasLocalStorage() || var->getInit() == nullptr) return nullptr;
    f = var->getInit()->IgnoreUnlessSpelledInSource();
  }
  return dyn_cast<LambdaExpr>(f);
}

std::string name_in_source(const Expr* e) {
  if (const auto* ref = dyn_cast<DeclRefExpr>(e)) return ref->getNameInfo().getAsString();
  if (const auto* member = dyn_cast<MemberExpr>(e))
    return member->getMemberNameInfo().getAsString();
  return "";
}

bool same_object(const Expr* a, const Expr* b) {
  a = a->IgnoreParenImpCasts();
  b = b->IgnoreParenImpCasts();
  if (const auto* ra = dyn_cast<DeclRefExpr>(a)) {
    const auto* rb = dyn_cast<DeclRefExpr>(b);
    return rb != nullptr && ra->getDecl()->getCanonicalDecl() == rb->getDecl()->getCanonicalDecl();
  }
  if (const auto* ma = dyn_cast<MemberExpr>(a)) {
    const auto* mb = dyn_cast<MemberExpr>(b);
    if (mb == nullptr || ma->getMemberDecl() != mb->getMemberDecl()) return false;
    const Expr* base_a = ma->getBase()->IgnoreParenImpCasts();
    const Expr* base_b = mb->getBase()->IgnoreParenImpCasts();
    if (isa<CXXThisExpr>(base_a) && isa<CXXThisExpr>(base_b)) return true;
    return same_object(base_a, base_b);
  }
  return false;
}

bool is_wait(const Stmt* stmt) { return waits_within(stmt, kCallDepth); }

bool any_within(const Stmt* stmt, llvm::function_ref<bool(const Stmt*)> wanted) {
  if (stmt == nullptr) return false;
  if (wanted(stmt)) return true;
  for (const Stmt* child : stmt->children()) {
    if (any_within(child, wanted)) return true;
  }
  return false;
}

bool contains_wait(const Stmt* stmt) { return body_waits(stmt, kCallDepth); }

const FunctionDecl* user_definition(const CallExpr* call) {
  const FunctionDecl* callee = call->getDirectCallee();
  const FunctionDecl* definition = nullptr;
  if (callee == nullptr || !callee->hasBody(definition)) return nullptr;
  const SourceManager& sources = definition->getASTContext().getSourceManager();
  return sources.isInSystemHeader(definition->getLocation()) ? nullptr : definition;
}

bool waits_within(const Stmt* stmt, int depth) {
  const auto* call = dyn_cast<CallExpr>(stmt);
  if (call == nullptr) return false;
  if (has_waiting_name(call)) return true;
  // A function of the program whose body waits: `finish(done)` with `done.recv()` inside.
  if (depth > 0) {
    if (const FunctionDecl* callee = user_definition(call);
        callee != nullptr && body_waits(callee->getBody(), depth - 1)) {
      return true;
    }
  }
  if (const auto* member = dyn_cast<CXXMemberCallExpr>(call)) return is_waiting_method(member);
  if (calls_function(call, "goro", "select")) return select_waits(call);
  if (calls_a_waiting_lambda(call, depth)) return true;
  return calls_function(call, "goro", "run") || calls_function(call, "goro::synctest", "run");
}

bool is_wait(const CFGElement& element) {
  if (auto stmt = element.getAs<CFGStmt>()) return is_wait(stmt->getStmt());
  const VarDecl* var = nullptr;
  if (auto ends = element.getAs<CFGLifetimeEnds>()) var = ends->getVarDecl();
  if (auto dtor = element.getAs<CFGAutomaticObjDtor>()) var = dtor->getVarDecl();
  if (var == nullptr) return false;
  const CXXRecordDecl* type = var->getType()->getAsCXXRecordDecl();
  if (type != nullptr && is_named(type, "std", "jthread")) return true;
  // A scope guard made with a lambda that waits (`defer`): its destructor runs the lambda.
  return var->getInit() != nullptr && holds_waiting_lambda(var->getInit());
}

const Stmt* enclosing_stmt(ASTContext& context, const Stmt* stmt,
                           llvm::function_ref<bool(const Stmt*)> wanted) {
  DynTypedNodeList parents = context.getParents(*stmt);
  while (!parents.empty()) {
    const DynTypedNode& parent = parents[0];
    const Stmt* s = parent.get<Stmt>();
    if (const auto* method = parent.get<CXXMethodDecl>()) s = lambda_of(context, method);
    if (s != nullptr) {
      if (wanted(s)) return s;
      if (isa<LambdaExpr>(s)) return nullptr;
    } else if (const auto* d = parent.get<Decl>(); d != nullptr && !isa<VarDecl>(d)) {
      return nullptr;
    }
    parents = context.getParents(parent);
  }
  return nullptr;
}

bool in_run_main(ASTContext& context, const CallExpr* call) {
  const auto* lambda = dyn_cast_or_null<LambdaExpr>(
      enclosing_stmt(context, call, [](const Stmt* s) { return isa<LambdaExpr>(s); }));
  if (lambda == nullptr) return false;
  const auto* run = dyn_cast_or_null<CallExpr>(
      enclosing_stmt(context, lambda, [](const Stmt* s) { return isa<CallExpr>(s); }));
  const FunctionDecl* callee = run != nullptr ? run->getDirectCallee() : nullptr;
  return callee != nullptr && (is_named(callee, "goro", "run") || callee->isNoReturn());
}

const FunctionDecl* enclosing_function(ASTContext& context, const Stmt* stmt) {
  DynTypedNodeList parents = context.getParents(*stmt);
  while (!parents.empty()) {
    const DynTypedNode& parent = parents[0];
    if (const auto* lambda = parent.get<LambdaExpr>()) return lambda->getCallOperator();
    if (const auto* function = parent.get<FunctionDecl>()) return function;
    if (const auto* d = parent.get<Decl>(); d != nullptr && !isa<VarDecl>(d)) return nullptr;
    parents = context.getParents(parent);
  }
  return nullptr;
}

}  // namespace goro::vet
