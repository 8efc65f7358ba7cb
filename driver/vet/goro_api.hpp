// Recognising goro's API (and the few standard library calls that wait) in clang's AST.
//
// The checks ask questions of user code in goro's terms: is this call a `goro::go`, which lambda
// does it spawn, is this statement something that waits for a goroutine, is this the same channel
// or mutex as that. Declarations are matched by their namespace and name, so the answers hold for
// any install of the headers and for every instantiation of goro's templates.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>
#include <clang/AST/ExprCXX.h>
#include <clang/Analysis/CFG.h>
#include <llvm/ADT/STLFunctionalExtras.h>
#include <llvm/ADT/StringRef.h>

#include <string>

namespace goro::vet {

// Whether `decl` is `ns::name` for a namespace path such as "goro" or "goro::synctest" ("std"
// also matches std's inline namespaces, std::__1 and the like).
bool is_named(const clang::NamedDecl* decl, llvm::StringRef ns, llvm::StringRef name);

// The method a member call calls, when it is `name` of the class (or class template) `ns::cls`.
bool calls_method(const clang::CXXMemberCallExpr* call, llvm::StringRef ns, llvm::StringRef cls,
                  llvm::StringRef name);

// The receiver a member call acts on, without implicit casts and parentheses.
const clang::Expr* receiver(const clang::CXXMemberCallExpr* call);

// The lambda a `goro::go` or `goro::go_with_stack` call spawns, or null when `call` is neither or
// spawns something else (a function pointer, a functor object).
const clang::LambdaExpr* spawned_lambda(const clang::CallExpr* call);

// The name a variable or member expression is spelt with ("mu" for `mu` and `this->mu`); empty
// for other expressions.
std::string name_in_source(const clang::Expr* e);

// Whether two expressions name the same object: the same local variable or parameter, or the same
// field of `*this`, or the same field of the same such object.
bool same_object(const clang::Expr* a, const clang::Expr* b);

// Whether `stmt` waits for other goroutines or threads: a call of a function or method named
// like a wait (wait, wait_for, join, arrive_and_wait…: WaitGroup, Cond, std::thread, latches,
// barriers, futures, synctest), a blocking channel operation (send, recv, recv_ok, a range-for
// over a channel, a select without a default or a timer case), a future's get(), a lambda called
// where it is made whose body waits, goro::synctest::run, goro::run, which never returns, and a
// call of the program's own function whose body does one of these (two calls deep at most).
bool is_wait(const clang::Stmt* stmt);

// How many calls deep is_wait() looks into the program's own functions.
inline constexpr int kCallDepth = 2;

// is_wait(), looking `depth` calls deep into the program's own functions (is_wait: kCallDepth).
bool waits_within(const clang::Stmt* stmt, int depth);

// The definition a direct call reaches, when it is the program's own (not in a system header).
const clang::FunctionDecl* user_definition(const clang::CallExpr* call);

// Whether the CFG element waits: a statement is_wait() accepts, or the end of the lifetime of a
// std::jthread (its destructor joins) or of a scope guard made with a lambda that waits.
bool is_wait(const clang::CFGElement& element);

// Whether `stmt` or any statement inside it (lambda bodies included) satisfies `wanted`.
bool any_within(const clang::Stmt* stmt, llvm::function_ref<bool(const clang::Stmt*)> wanted);

// Whether `stmt` contains a statement is_wait() accepts.
bool contains_wait(const clang::Stmt* stmt);

// Whether the call lies directly in the body of the lambda given to goro::run, or to another
// function that never returns (a test harness's run_in_goro): when that lambda returns, the
// process ends, and what its goroutines still use or what it still holds no longer matters.
bool in_run_main(clang::ASTContext& context, const clang::CallExpr* call);

// The function whose body contains `stmt` directly: the innermost enclosing function, method or
// lambda (whose call operator is returned). Null when there is none (a global initialiser).
const clang::FunctionDecl* enclosing_function(clang::ASTContext& context, const clang::Stmt* stmt);

// The nearest ancestor of `stmt` that `wanted` accepts, within the function that contains `stmt`
// directly: the search stops at a lambda (unless `wanted` accepts it) or a function.
const clang::Stmt* enclosing_stmt(clang::ASTContext& context, const clang::Stmt* stmt,
                                  llvm::function_ref<bool(const clang::Stmt*)> wanted);

}  // namespace goro::vet
