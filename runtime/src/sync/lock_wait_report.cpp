// The partial deadlock report (see lock_wait_report.hpp). Go's dump shape: a head line, then each
// goroutine of the cycle with its state and stack, with two lines of its own under its header:
// the lock it wants and who holds it, the lock it holds and who wants it.
//
//   fatal error: partial deadlock: goroutines 7, 9 wait for each other's locks
//
//   goroutine 7 [sync.Mutex.Lock]:
//   	wants sync.Mutex 0x5566778899a0, held by goroutine 9
//   	holds sync.Mutex 0x5566778899b0, wanted by goroutine 9
//   transfer(...)
//   	/src/bank.cpp:21 +0x3c
//   ...
#include "sync/lock_wait_report.hpp"

#include <cinttypes>
#include <cstdio>
#include <string>

#include "debug/dump.hpp"
#include "debug/fatal.hpp"
#include "debug/godebug.hpp"
#include "race/hooks.hpp"
#include "sched/g.hpp"
#include "sync/lock_wait.hpp"

namespace goro::sync {
namespace {

// The words for one kind of wait: how the waiter wants the lock, how the next member stands in
// its way, and how that one holds it as seen from the waiter.
struct wait_words {
  const char* type;       // "sync.Mutex" or "sync.RWMutex"
  const char* mode;       // " (write)", " (read)" or ""
  const char* json_mode;  // the JSON line's "mode": "write", "read" or "lock"
  const char* blocker;    // "held by", as in "..., held by goroutine 9"
  const char* held;       // " (read)" etc.: how the blocker holds it, on its "holds" line
  const char* waiter;     // "wanted by", as in "holds ..., wanted by goroutine 7"
};

wait_words words_for(std::uint8_t kind) {
  switch (static_cast<lock_wait_kind>(kind)) {
    case lock_wait_kind::rw_lock:
      return {"sync.RWMutex", " (write)", "write", "held for writing by", " (write)", "wanted by"};
    case lock_wait_kind::rw_readers:
      return {"sync.RWMutex", " (write)", "write", "read-locked by", " (read)", "waited for by"};
    case lock_wait_kind::rw_rlock:
      return {"sync.RWMutex",        " (read)",  "read",
              "waits behind writer", " (write)", "waited behind by"};
    default:
      return {"sync.Mutex", "", "lock", "held by", "", "wanted by"};
  }
}

std::string head_line(const cycle_report& r, bool fatal) {
  std::string ids;
  for (int i = 0; i < r.n; ++i) {
    if (i > 0) ids += ", ";
    ids += std::to_string(r.members[i].goid);
  }
  if (fatal)
    return "fatal error: partial deadlock: goroutines " + ids + " wait for each other's locks\n";
  return "WARNING: partial deadlock: goroutines " + ids +
         " wait for each other's locks and will never run again (GORODEBUG=partialdeadlock=warn:"
         " the program goes on)\n";
}

// "wants sync.Mutex 0x…, held by goroutine 9": what member i waits for, and who holds it.
std::string wants_line(const cycle_report& r, int i) {
  const cycle_report::member& m = r.members[i];
  const wait_words want = words_for(m.wanted_kind);
  char line[192];
  std::snprintf(line, sizeof line, "wants %s %p%s, %s goroutine %" PRId64, want.type, m.wanted,
                want.mode, want.blocker, r.members[(i + 1) % r.n].goid);
  return line;
}

// "holds sync.Mutex 0x…, wanted by goroutine 7": what member i holds that the previous one wants.
std::string holds_line(const cycle_report& r, int i) {
  const cycle_report::member& prev = r.members[(i + r.n - 1) % r.n];
  const wait_words hold = words_for(prev.wanted_kind);
  char line[192];
  std::snprintf(line, sizeof line, "holds %s %p%s, %s goroutine %" PRId64, hold.type, prev.wanted,
                hold.held, hold.waiter, prev.goid);
  return line;
}

void append_member(std::string& out, const cycle_report& r, int i) {
  std::string g;
  debug::append_goroutine(g, r.members[i].g, nullptr, 0);
  const std::size_t header_end = g.find('\n') + 1;
  g.insert(header_end, "\t" + wants_line(r, i) + "\n\t" + holds_line(r, i) + "\n");
  out += '\n';
  out += g;
}

}  // namespace

void describe_cycle(sched::G* const* members, int n, cycle_report* out) {
  out->n = n < cycle_report::kMaxShown ? n : cycle_report::kMaxShown;
  for (int i = 0; i < out->n; ++i) {
    sched::G* g = members[i];
    out->members[i] = {g, g->goid, g->lock_wanted, g->lock_wanted_kind, g->lock_wait_seq};
  }
}

std::uint64_t cycle_signature(const cycle_report& r) {
  // A sum of mixed ids: the same for every rotation of the cycle.
  std::uint64_t h = 0;
  for (int i = 0; i < r.n; ++i) {
    std::uint64_t x = static_cast<std::uint64_t>(r.members[i].goid) * 0x9E3779B97F4A7C15ull;
    h += x ^ (x >> 29);
  }
  return h;
}

void report_cycle(const cycle_report& r) {
  const bool fatal = debug::godebug().partial_deadlock == debug::partial_deadlock_mode::fatal;
  // Before the slow part: the program must not exit meanwhile.
  if (fatal) {
    debug::begin_report();
  } else {
    debug::begin_warning();
  }
  std::string out = head_line(r, fatal);
  for (int i = 0; i < r.n; ++i) append_member(out, r, i);
  race::deadlock_member members[cycle_report::kMaxShown];
  for (int i = 0; i < r.n; ++i) {
    const cycle_report::member& m = r.members[i];
    const wait_words words = words_for(m.wanted_kind);
    members[i] = {m.g,
                  sched::wait_reason_text(m.g->reason),
                  m.wanted,
                  words.type,
                  words.json_mode,
                  r.members[(i + 1) % r.n].goid,
                  wants_line(r, i),
                  holds_line(r, i)};
  }
  race::partial_deadlock(members, r.n, fatal, out);
  if (!fatal) {
    debug::flush_stdio_best_effort();
    debug::write_stderr(out);
    debug::end_warning();
    return;
  }
  sched::G* shown[cycle_report::kMaxShown];
  for (int i = 0; i < r.n; ++i) shown[i] = r.members[i].g;
  debug::fatal_report(out, shown, static_cast<std::size_t>(r.n));
}

}  // namespace goro::sync
