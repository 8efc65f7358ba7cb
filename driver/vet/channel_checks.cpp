// closed-channel and nil-channel: channel operations that can only panic or block forever.
//
// closed-channel: in a block `{ …; c.close(); …; c.send(v); … }`, a send, try_send or second close
// on the same channel later in the same block panics ("send on closed channel", "close of closed
// channel"). Only straight-line code is looked at: statements after the close in its own block,
// and what they contain except lambdas (which run elsewhere, later). Any other use of the handle
// in between (an assignment, a reference passed on) ends the search: it may now be another
// channel.
//
// nil-channel: a local `goro::chan<T> c;` (or `c{}`) that is never assigned is Go's nil channel:
// send, recv, recv_ok and a range-for block forever, close() panics. "Never assigned" is judged
// conservatively: every use of the variable in its function must be a call of one of its methods
// or a range-for over it; any other use (an assignment, a copy, a capture, a reference passed on)
// means the check stays silent. try_send, try_recv and select cases on a nil channel are
// legitimate (a disabled case) and never reported.
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/StmtCXX.h>
#include <clang/ASTMatchers/ASTMatchers.h>

#include <string>

#include "checks.hpp"
#include "goro_api.hpp"

namespace goro::vet {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

auto chan_method(llvm::StringRef name) {
  return cxxMethodDecl(hasName(name),
                       ofClass(classTemplateSpecializationDecl(hasName("::goro::chan"))));
}

// The channel method a use of the handle calls, when the use is that call's receiver.
const CXXMemberCallExpr* method_call_on(ASTContext& context, const Expr* use) {
  const Expr* e = use;
  while (true) {
    DynTypedNodeList parents = context.getParents(*e);
    if (parents.empty()) return nullptr;
    if (const auto* member = parents[0].get<MemberExpr>()) {
      const auto* call = dyn_cast_or_null<CXXMemberCallExpr>(
          context.getParents(*member).empty() ? nullptr
                                              : context.getParents(*member)[0].get<Expr>());
      if (call == nullptr || call->getCallee()->IgnoreParens() != member) return nullptr;
      const CXXMethodDecl* method = call->getMethodDecl();
      return method != nullptr && is_named(method->getParent(), "goro", "chan") ? call : nullptr;
    }
    const auto* cast = parents[0].get<ImplicitCastExpr>();
    if (cast == nullptr) return nullptr;
    e = cast;
  }
}

std::string method_name(const CXXMemberCallExpr* call) {
  const CXXMethodDecl* method = call->getMethodDecl();
  return method != nullptr && method->getDeclName().isIdentifier() ? method->getName().str() : "";
}

class closed_channel_check : public MatchFinder::MatchCallback {
 public:
  explicit closed_channel_check(findings_sink& sink) : sink_(sink) {}

  void run(const MatchFinder::MatchResult& result) override {
    const auto* close = result.Nodes.getNodeAs<CXXMemberCallExpr>("close");
    ASTContext& context = *result.Context;
    const Expr* channel = receiver(close);
    if (channel == nullptr || !(isa<DeclRefExpr>(channel) || isa<MemberExpr>(channel))) return;
    // The close must be a statement of its own in a block.
    const Stmt* statement = close;
    DynTypedNodeList parents = context.getParents(*statement);
    if (!parents.empty() && parents[0].get<ExprWithCleanups>() != nullptr) {
      statement = parents[0].get<ExprWithCleanups>();
      parents = context.getParents(*statement);
    }
    const auto* block = parents.empty() ? nullptr : parents[0].get<CompoundStmt>();
    if (block == nullptr) return;
    bool after = false;
    for (const Stmt* s : block->body()) {
      if (s == statement) {
        after = true;
      } else if (after && !scan(context, s, channel, close)) {
        return;
      }
    }
  }

 private:
  // Looks through `s` for the next use of `channel`; false once the search is over.
  bool scan(ASTContext& context, const Stmt* s, const Expr* channel,
            const CXXMemberCallExpr* close) {
    if (s == nullptr || isa<LambdaExpr>(s)) return true;
    const auto* e = dyn_cast<Expr>(s);
    if (e != nullptr && (isa<DeclRefExpr>(e) || isa<MemberExpr>(e)) && same_object(e, channel)) {
      const CXXMemberCallExpr* call = method_call_on(context, e);
      if (call == nullptr) return false;  // assigned, passed on, copied: it may be another channel
      const std::string op = method_name(call);
      if (op == "send" || op == "try_send" || op == "close") {
        report(context, call, op, close);
        return false;
      }
      return true;
    }
    for (const Stmt* child : s->children()) {
      if (!scan(context, child, channel, close)) return false;
    }
    return true;
  }

  void report(ASTContext& context, const CXXMemberCallExpr* call, const std::string& op,
              const CXXMemberCallExpr* close) {
    const SourceManager& sources = context.getSourceManager();
    const std::string closed_on =
        "after its close() on line " +
        std::to_string(findings_sink::line_of(sources, close->getExprLoc()));
    const std::string channel = "'" + name_in_source(receiver(call)) + "'";
    const std::string what = op == "close" ? "channel " + channel + " closed again " + closed_on +
                                                 ": panics with \"close of closed channel\""
                                           : op + " on channel " + channel + " " + closed_on +
                                                 ": panics with \"send on closed channel\"";
    sink_.report(sources, call->getExprLoc(), "closed-channel", what);
  }

  findings_sink& sink_;
};

class nil_channel_check : public MatchFinder::MatchCallback {
 public:
  explicit nil_channel_check(findings_sink& sink) : sink_(sink) {}

  void run(const MatchFinder::MatchResult& result) override {
    const auto* var = result.Nodes.getNodeAs<VarDecl>("chan");
    ASTContext& context = *result.Context;
    if (!default_constructed(var)) return;
    const auto* function = dyn_cast_or_null<FunctionDecl>(var->getParentFunctionOrMethod());
    if (function == nullptr || function->getBody() == nullptr) return;
    struct blocked_op {
      const Expr* where;
      std::string op;
    };
    std::vector<blocked_op> ops;
    for (const BoundNodes& use :
         match(findAll(declRefExpr(to(varDecl(equalsNode(var)))).bind("use")), *function->getBody(),
               context)) {
      const auto* ref = use.getNodeAs<DeclRefExpr>("use");
      if (const auto* loop = enclosing_range_for(context, ref)) {
        ops.push_back({loop->getRangeInit(), "range"});
        continue;
      }
      const CXXMemberCallExpr* call = method_call_on(context, ref);
      if (call == nullptr) return;  // assigned, copied, captured, passed on: not provably nil
      const std::string op = method_name(call);
      if (op == "send" || op == "recv" || op == "recv_ok" || op == "close") {
        ops.push_back({call, op});
      }
    }
    const std::string name = "'" + var->getNameAsString() + "'";
    for (const blocked_op& b : ops) {
      const std::string outcome = b.op == "close"
                                      ? "close of nil channel " + name + " panics"
                                      : b.op + " on nil channel " + name + " blocks forever";
      sink_.report(context.getSourceManager(), b.where->getExprLoc(), "nil-channel",
                   outcome +
                       ": it is default-constructed and never assigned; create it with "
                       "goro::make_chan");
    }
  }

 private:
  static bool default_constructed(const VarDecl* var) {
    const Expr* init = var->getInit();
    if (init == nullptr) return true;
    const auto* construct = dyn_cast<CXXConstructExpr>(init->IgnoreImplicit());
    return construct != nullptr && construct->getNumArgs() == 0;
  }

  // The range-for whose range is exactly this use of the handle.
  static const CXXForRangeStmt* enclosing_range_for(ASTContext& context, const DeclRefExpr* ref) {
    const auto* loop = dyn_cast_or_null<CXXForRangeStmt>(
        enclosing_stmt(context, ref, [](const Stmt* s) { return isa<CXXForRangeStmt>(s); }));
    if (loop == nullptr || loop->getRangeInit() == nullptr) return nullptr;
    return loop->getRangeInit()->IgnoreParenImpCasts() == ref ? loop : nullptr;
  }

  findings_sink& sink_;
};

}  // namespace

void add_channel_checks(MatchFinder& finder, findings_sink& sink, callbacks& owned) {
  auto closed = std::make_unique<closed_channel_check>(sink);
  finder.addMatcher(cxxMemberCallExpr(callee(chan_method("close"))).bind("close"), closed.get());
  owned.push_back(std::move(closed));
  auto nil = std::make_unique<nil_channel_check>(sink);
  finder.addMatcher(varDecl(hasLocalStorage(), unless(parmVarDecl()),
                            hasType(hasUnqualifiedDesugaredType(recordType(hasDeclaration(
                                classTemplateSpecializationDecl(hasName("::goro::chan")))))))
                        .bind("chan"),
                    nil.get());
  owned.push_back(std::move(nil));
}

}  // namespace goro::vet
