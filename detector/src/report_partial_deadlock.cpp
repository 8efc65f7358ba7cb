// The JSON line of a partial deadlock (race/hooks.hpp, partial_deadlock): the runtime finds the
// cycle and prints its text (runtime/src/sync/lock_wait*.cpp); with GORACE json_path the detector
// adds the line, so that `goro report` shows partial deadlocks beside races and lock-order
// inversions. The goroutines of the cycle are parked for good: their stacks are walked from where
// they parked, as a goroutine dump walks them.
#include <string>

#include "context.hpp"
#include "debug/traceback.hpp"
#include "history.hpp"
#include "race/hooks.hpp"
#include "report.hpp"
#include "report_job.hpp"
#include "report_json.hpp"
#include "report_output.hpp"
#include "sched/g.hpp"

namespace goro::race {
namespace {

constexpr std::size_t kMaxFrames = 64;

std::vector<const debug::frame*> parked_frames(const sched::G* g) {
  if (g->park_fp == 0 || g->stack.empty()) return {};
  std::uintptr_t pcs[kMaxFrames];
  const std::size_t n =
      debug::walk_frame_pointers(g->park_pc, g->park_fp, g->stack.lo, g->stack.hi, pcs, kMaxFrames);
  return report_frames(pcs, n);
}

}  // namespace

void partial_deadlock(const deadlock_member* members, int n, bool fatal, const std::string& text) {
  ignore_scope no_events;
  deadlock_job j;
  j.fatal = fatal;
  for (int i = 0; i < n; ++i) {
    const deadlock_member& m = members[i];
    deadlock_entry& e = j.members.emplace_back();
    if (auto* c = static_cast<context*>(m.g->race_state); c != nullptr) describe(e.who, c->rec);
    if (!e.who.known) {  // no record: the goroutine is still named by the runtime's id
      e.who.known = true;
      e.who.goid = m.g->goid;
      e.who.is_main = m.g->is_main;
    }
    e.who.restored = true;
    e.who.frames = parked_frames(m.g);
    if (e.who.create_stack != 0) e.who.created_frames = created_frames(e.who.create_stack);
    e.state = m.state;
    e.wanted = reinterpret_cast<std::uintptr_t>(m.wanted);
    e.lock = m.lock;
    e.mode = m.mode;
    e.waits_for = m.waits_for;
    e.wants = m.wants;
    e.holds = m.holds;
  }
  lock_guard<futex_lock> l(report_lock());
  write_json(json_of(j, text));
}

}  // namespace goro::race
