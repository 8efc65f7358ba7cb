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
#include "sched/g.hpp"
#include "sync/lock_wait.hpp"

namespace goro::sync {
namespace {

// "sync.Mutex 0x…" / "sync.RWMutex 0x…": the lock as a member wants it.
std::string lock_name(const cycle_report::member& m) {
  const bool rw = static_cast<lock_wait_kind>(m.wanted_kind) != lock_wait_kind::mutex;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %p", rw ? "sync.RWMutex" : "sync.Mutex", m.wanted);
  return buf;
}

// How the member who holds m's lock holds it.
const char* held_as(const cycle_report::member& m) {
  switch (static_cast<lock_wait_kind>(m.wanted_kind)) {
    case lock_wait_kind::rw_readers:
      return "read-locked";
    case lock_wait_kind::rw_lock:
    case lock_wait_kind::rw_rlock:
      return "write-locked";
    default:
      return "held";
  }
}

const char* wanted_as(const cycle_report::member& m) {
  switch (static_cast<lock_wait_kind>(m.wanted_kind)) {
    case lock_wait_kind::rw_readers:
    case lock_wait_kind::rw_lock:
      return " (write)";
    case lock_wait_kind::rw_rlock:
      return " (read)";
    default:
      return "";
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

void append_member(std::string& out, const cycle_report& r, int i) {
  const cycle_report::member& m = r.members[i];
  const cycle_report::member& next = r.members[(i + 1) % r.n];
  const cycle_report::member& prev = r.members[(i + r.n - 1) % r.n];
  std::string g;
  debug::append_goroutine(g, m.g, nullptr, 0);
  const std::size_t header_end = g.find('\n') + 1;
  char line[160];
  std::snprintf(line, sizeof line, "\twants %s%s, %s by goroutine %" PRId64 "\n",
                lock_name(m).c_str(), wanted_as(m), held_as(m), next.goid);
  std::string lines = line;
  std::snprintf(
      line, sizeof line, "\tholds %s, %s by goroutine %" PRId64 "\n", lock_name(prev).c_str(),
      prev.wanted_kind == static_cast<std::uint8_t>(lock_wait_kind::rw_readers) ? "waited for"
                                                                                : "wanted",
      prev.goid);
  lines += line;
  g.insert(header_end, lines);
  out += '\n';
  out += g;
}

}  // namespace

void describe_cycle(sched::G* const* members, int n, cycle_report* out) {
  out->n = n < cycle_report::kMaxShown ? n : cycle_report::kMaxShown;
  for (int i = 0; i < out->n; ++i) {
    sched::G* g = members[i];
    out->members[i] = {g, g->goid, g->lock_wanted, g->lock_wanted_kind};
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
