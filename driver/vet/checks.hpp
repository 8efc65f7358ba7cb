// goro vet's checks: what each is called and says, and how each joins the AST matcher.
//
// A check is a MatchCallback that reports through a findings_sink; add_checks() registers every
// check with one MatchFinder, so a translation unit is walked once for all of them. The table
// (kChecks) is what `goro vet --help`, the SARIF rules and docs/guide.md describe.
#pragma once

#include <clang/ASTMatchers/ASTMatchFinder.h>

#include <memory>
#include <vector>

#include "findings.hpp"

namespace goro::vet {

struct check_info {
  const char* id;         // "loop-capture": warnings end with [goro-loop-capture]
  const char* name;       // "LoopCapture", SARIF's rule name
  const char* summary;    // one line
  const char* rationale;  // why it is a bug, for SARIF's full description
};

// Every check, in the order docs/guide.md lists them.
extern const check_info kChecks[6];

// The callbacks of one translation unit's analysis; `finder` holds pointers into it.
using callbacks = std::vector<std::unique_ptr<clang::ast_matchers::MatchFinder::MatchCallback>>;

// Registers every check with `finder`, reporting into `sink`.
void add_checks(clang::ast_matchers::MatchFinder& finder, findings_sink& sink, callbacks& owned);

// Each file registers its own checks.
void add_capture_checks(clang::ast_matchers::MatchFinder& finder, findings_sink& sink,
                        callbacks& owned);  // stack-capture, loop-capture
void add_waitgroup_check(clang::ast_matchers::MatchFinder& finder, findings_sink& sink,
                         callbacks& owned);  // waitgroup-add
void add_channel_checks(clang::ast_matchers::MatchFinder& finder, findings_sink& sink,
                        callbacks& owned);  // closed-channel, nil-channel
void add_lock_check(clang::ast_matchers::MatchFinder& finder, findings_sink& sink,
                    callbacks& owned);  // lock-unlock

}  // namespace goro::vet
