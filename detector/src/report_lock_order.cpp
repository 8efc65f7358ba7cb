// Lock-order inversion reports (report.hpp, report_lock_order): a cycle of the lock-order graph
// (lock_graph.hpp) turned into a job, deduplicated, checked against the suppressions, written as
// text and as a JSON line like a race report, and counted for the summary at exit.
//
// Deduplication: one report per cycle of source locations. A cycle's key is its edges' pairs of
// innermost locations (where `from` and where `to` was taken), rotated to start at the smallest,
// so the same inversion found again through other lock objects of the same code (a loop making
// new mutex pairs) is not reported twice, while a cycle through other code is.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <unordered_set>

#include "context.hpp"
#include "history.hpp"
#include "lock_graph.hpp"
#include "options.hpp"
#include "report.hpp"
#include "report_job.hpp"
#include "report_json.hpp"
#include "report_output.hpp"
#include "report_text.hpp"
#include "sched/sched.hpp"
#include "stack_depot.hpp"
#include "suppressions.hpp"

namespace goro::race {
namespace {

std::unordered_set<std::string>* g_seen_cycles = nullptr;  // guarded by report_lock()

std::string location_of(const std::vector<const debug::frame*>& frames) {
  if (frames.empty()) return "?";
  const debug::frame* f = frames.front();
  return f->file + ":" + std::to_string(f->line) + " " + f->function;
}

std::string cycle_key(const lock_order_job& j) {
  std::vector<std::string> parts;
  for (const lock_order_edge& e : j.edges) {
    parts.push_back(location_of(e.held_frames) + " -> " + location_of(e.who.frames));
  }
  std::size_t first = 0;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (parts[i] < parts[first]) first = i;
  }
  std::string key;
  for (std::size_t i = 0; i < parts.size(); ++i) key += parts[(first + i) % parts.size()] + "\n";
  return key;
}

std::vector<const debug::frame*> frames_of_stack(std::uint32_t id) {
  std::size_t n = 0;
  const std::uintptr_t* pcs = depot_get(id, n);
  if (n == 0) return {};
  return report_frames(pcs, n);
}

void emit(void* arg) {
  lock_order_job& j = *static_cast<lock_order_job*>(arg);
  // Symbolized here, on the system stack: the symbolizer needs more than a goroutine's stack.
  for (lock_order_edge& e : j.edges) {
    e.who.frames = frames_of_stack(e.stack);
    e.held_frames = frames_of_stack(e.held_stack);
    if (e.who.create_stack != 0) e.who.created_frames = created_frames(e.who.create_stack);
  }
  lock_guard<futex_lock> l(report_lock());
  if (g_seen_cycles == nullptr) g_seen_cycles = new std::unordered_set<std::string>;
  if (!g_seen_cycles->insert(cycle_key(j)).second) return;
  if (lock_order_suppressed(j)) return;
  const std::string text = text_of(j);
  write_all(log_fd(), text.data(), text.size());
  write_json(json_of(j, text));
  count_lock_order_report();
  if (opts().halt_on_error) {
    std::fflush(nullptr);
    _exit(opts().exitcode);
  }
}

}  // namespace

void report_lock_order(context* c, const lock_cycle& cycle) {
  (void)c;
  ignore_scope no_events;
  lock_order_job j;
  j.edges.resize(cycle.n);
  for (std::size_t i = 0; i < cycle.n; ++i) {
    const lock_cycle_edge& ce = cycle.edges[i];
    lock_order_edge& e = j.edges[i];
    e.from = ce.from_addr;
    e.to = ce.to_addr;
    e.from_write = ce.info.from_write;
    e.to_write = ce.info.to_write;
    e.who.addr = ce.to_addr;
    with_record(ce.info.rec_id, ce.info.goid, [&](record* r) { describe(e.who, r); });
    if (!e.who.known && ce.info.rec_id != 0) {
      // The record was evicted (its goroutine finished long ago): what the edge kept still names
      // it.
      e.who.known = true;
      e.who.goid = ce.info.goid;
      e.who.is_thread = ce.info.is_thread;
      e.who.is_main = ce.info.is_main;
      e.who.finished = true;
      e.who.create_stack = ce.info.create_stack;
    }
    e.who.restored = true;
    e.stack = ce.info.stack;
    e.held_stack = ce.info.held_stack;
  }
  sched::on_system_stack(emit, &j);
}

void reset_lock_order_reports_for_testing() {
  if (g_seen_cycles != nullptr) g_seen_cycles->clear();
}

}  // namespace goro::race
