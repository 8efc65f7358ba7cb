// Race reports (report.hpp), assembled: restoring the previous access's stack, deduplication,
// then the suppressions check (suppressions.cpp), the text (report_text.cpp) and the JSON line
// (report_json.cpp), written where GORACE says (report_output.cpp). Runs on the M's system stack
// (the symbolizer needs more than a goroutine's 64 KiB), one report at a time, with the hooks
// ignored on this thread.
#include "report.hpp"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "access.hpp"
#include "context.hpp"
#include "debug/traceback.hpp"
#include "history.hpp"
#include "options.hpp"
#include "report_job.hpp"
#include "report_json.hpp"
#include "report_output.hpp"
#include "report_text.hpp"
#include "sched/sched.hpp"
#include "slots.hpp"
#include "stack_depot.hpp"
#include "stack_lifetime.hpp"
#include "suppressions.hpp"

namespace goro::race {
namespace {

futex_lock g_mu;                      // one report at a time; guards everything below
std::atomic<std::size_t> g_races{0};  // relaxed: read at exit, after every report finished
std::size_t g_inversions = 0;         // lock-order reports
std::size_t g_after_returns = 0;      // stack use after return reports
bool g_finished = false;
std::unordered_set<std::uint64_t>* g_seen = nullptr;  // pc pairs already reported
// Pairs of source locations reported ("a\nb"), and each location of them alone ("a\n").
std::unordered_set<std::string>* g_seen_lines = nullptr;
std::unordered_set<std::uint64_t>* g_racy_cells = nullptr;  // accesses in a reported race

}  // namespace

futex_lock& report_lock() { return g_mu; }

void count_lock_order_report() { ++g_inversions; }

std::vector<const debug::frame*> report_frames(const std::uintptr_t* pcs, std::size_t n) {
  std::vector<const debug::frame*> frames = debug::visible_frames(pcs, n);
  if (frames.empty()) {
    // Nothing but runtime frames: show them rather than nothing.
    for (std::size_t i = 0; i < n; ++i) {
      for (const debug::frame& f : debug::symbolize_inlined(pcs[i])) frames.push_back(&f);
    }
  }
  return frames;
}

std::vector<const debug::frame*> created_frames(std::uint32_t create_stack) {
  std::size_t n = 0;
  const std::uintptr_t* pcs = depot_get(create_stack, n);
  std::vector<const debug::frame*> frames = report_frames(pcs, n);
  debug::drop_creation_glue(frames);
  return frames;
}

void describe(side& s, const record* r) {
  if (r == nullptr) return;
  s.known = true;
  s.goid = r->goid;
  s.is_main = r->is_main;
  s.is_thread = r->is_thread;
  // relaxed: under the records lock (see record_finish); a stale false only words the report.
  s.finished = r->finished.load(std::memory_order_relaxed);
  s.create_stack = r->create_stack;
}

namespace {

void symbolize_side(side& s) {
  if (s.stack.n > 0) s.frames = report_frames(s.stack.pcs, static_cast<std::size_t>(s.stack.n));
  if (s.create_stack != 0) s.created_frames = created_frames(s.create_stack);
}

// "file:line function" of the innermost frame: a racing pair of these is reported once.
std::string location_of(const side& s) {
  if (s.frames.empty()) return "?";
  const debug::frame* f = s.frames.front();
  return f->file + ":" + std::to_string(f->line) + " " + f->function;
}

// One access in one shadow word (words 32 GiB apart may share keys: a missed report at worst).
std::uint64_t racy_cell_key(std::uintptr_t word, raw_cell cell) {
  return (static_cast<std::uint64_t>(word >> 3) << 32) | cell;
}

void emit(void* arg) {
  job& j = *static_cast<job*>(arg);
  // Cheap check first: the same pair of pcs (unrolled loops and inlining give one source location
  // several pcs, hence the second check by location after symbolizing).
  // A use after return is one report per place of use, whatever the frame's owner did before.
  const std::uintptr_t a = j.cur.stack.pcs[0];
  const std::uintptr_t b = j.prev.restored && !j.after_return ? j.prev.stack.pcs[0] : 0;
  const std::uint64_t key = (a < b ? a : b) * 0x9e3779b97f4a7c15ull ^ (a < b ? b : a);
  lock_guard<futex_lock> l(g_mu);
  if (g_seen == nullptr) g_seen = new std::unordered_set<std::uint64_t>;
  if (g_seen_lines == nullptr) g_seen_lines = new std::unordered_set<std::string>;
  if (g_racy_cells == nullptr) g_racy_cells = new std::unordered_set<std::uint64_t>;
  // A free racing with an access that was already part of a reported race (a container destroyed
  // after two threads raced on an element, with no ordering at the end either) would report the
  // same unordered access again: the first report is the one to fix.
  if (j.free && g_racy_cells->count(racy_cell_key(j.word, j.old_cell)) != 0) return;
  g_racy_cells->insert(racy_cell_key(j.word, j.cur_cell));
  g_racy_cells->insert(racy_cell_key(j.word, j.old_cell));
  if (!g_seen->insert(key).second) return;
  symbolize_side(j.cur);
  symbolize_side(j.prev);
  const std::string cur = location_of(j.cur);
  const bool prev_known = j.prev.restored && !j.after_return;
  // A previous access whose stack is lost (its goroutine's history evicted) may well be the other
  // side of a pair already reported at this location: the same race met again, later. It is not
  // reported again (ThreadSanitizer drops every report whose earlier stack cannot be restored).
  if (!j.after_return && !j.prev.restored && g_seen_lines->count(cur + "\n") != 0) return;
  const std::string prev = j.after_return ? "after return" : prev_known ? location_of(j.prev) : "?";
  const bool ordered = cur < prev;
  if (!g_seen_lines->insert(ordered ? cur + "\n" + prev : prev + "\n" + cur).second) return;
  g_seen_lines->insert(cur + "\n");
  if (prev_known) g_seen_lines->insert(prev + "\n");
  if (suppressed(j)) return;
  const std::string text = text_of(j);
  write_all(log_fd(), text.data(), text.size());
  write_json(json_of(j, text));
  if (j.after_return) {
    ++g_after_returns;
  } else {
    g_races.fetch_add(1, std::memory_order_relaxed);  // relaxed: see g_races (and g_mu is held)
  }
  if (opts().halt_on_error) {
    // What the program printed so far is not lost (as at any exit the runtime makes).
    std::fflush(nullptr);
    _exit(opts().exitcode);
  }
}

}  // namespace

namespace {

// The access being reported: c's, at pc, with c's shadow call stack.
void fill_current(job& j, context* c, std::uintptr_t word, raw_cell cur, std::uintptr_t pc) {
  j.word = word;
  j.cur_cell = cur;
  j.cur.addr = word + cell_offset(cur);
  j.cur.write = !cell_read(cur);
  j.cur.atomic = cell_atomic(cur);
  describe(j.cur, c->rec);
  restored_stack& cs = j.cur.stack;
  cs.pcs[cs.n++] = pc;
  const std::uint32_t stored = c->depth < c->stack_cap ? c->depth : c->stack_cap;
  for (std::uint32_t i = stored; i > 0 && cs.n < kMaxRestoredFrames; --i) {
    cs.pcs[cs.n++] = c->stack[i - 1];
  }
  j.cur.restored = true;
}

// The earlier access of cell `old`: who made it (the slot's journal) and its stack (their history).
void fill_previous(job& j, raw_cell old) {
  const std::uintptr_t word = j.word;
  j.old_cell = old;
  j.prev.addr = word + cell_offset(old);
  j.prev.write = !cell_read(old);
  j.prev.atomic = cell_atomic(old);
  journal_entry who_ran{};
  if (slot_lookup(old & 0xffffff, who_ran)) {
    with_record(who_ran.rec_id, who_ran.goid, [&](record* r) {
      describe(j.prev, r);
      if (r != nullptr) {
        j.prev.restored =
            restore_access(r, old & 0xffffff, j.prev.addr, j.prev.addr + cell_size(old),
                           cell_read(old), cell_atomic(old), j.prev.stack);
      }
    });
    if (!j.prev.known) {
      // The record was evicted; the journal still knows the goroutine's id (or thread's number).
      j.prev.known = true;
      j.prev.goid = who_ran.goid;
      j.prev.is_thread = who_ran.is_thread;
      j.prev.finished = true;
    }
  }
}

// The cell of the word to show as the previous access of a use after return: the last one the
// frame's owner left, most likely; a write before a read.
raw_cell owner_access_in(const raw_cell* s, raw_cell cur) {
  raw_cell best = 0;
  for (int i = 0; i < kCellsPerWord; ++i) {
    const raw_cell old = load_cell(s + i);
    if (old == 0 || old == cur || is_dead_stack_cell(old) || ((old ^ cur) & kGenMask) != 0) {
      continue;
    }
    if ((cell_mask(old) & cell_mask(cur)) == 0) continue;
    if (best == 0 || (cell_read(best) && !cell_read(old))) best = old;
  }
  return best;
}

}  // namespace

void report_race(context* c, std::uintptr_t word, raw_cell cur, raw_cell old, std::uintptr_t pc) {
  // From here on the detector's own calls (the loader's, libc's) are no events of the program.
  ignore_scope no_events;
  // A goroutine reaching its thread's own thread-locals through a pointer (a member function's
  // `this`, a libc call): goroutines that run one after another on a thread share them with no
  // edge the detector could see (race_abi.h, __goro_tls_*), so this is a scheduling artefact. The
  // same variable reached from another thread is still reported: its address is outside that
  // thread's block.
  if (c->kind == context_kind::goroutine && in_own_static_tls(word)) return;
  // Racing with the frame's owner on a variable that has died: the dead frame is the bug to show.
  const raw_cell dead = on_own_stack(c, word) ? 0 : dead_stack_cell_in(shadow_of(word), cur);
  if (dead != 0) {
    report_after_return(c, word, cur, dead, pc);
    return;
  }
  job j;
  j.vptr = tls.vptr_access;
  j.free = tls.free_access;
  fill_current(j, c, word, cur, pc);
  fill_previous(j, old);
  sched::on_system_stack(emit, &j);
}

void report_after_return(context* c, std::uintptr_t word, raw_cell cur, raw_cell marker,
                         std::uintptr_t pc) {
  ignore_scope no_events;
  job j;
  j.after_return = true;
  fill_current(j, c, word, cur, pc);
  const raw_cell prev = owner_access_in(shadow_of(word), cur);
  if (prev != 0) {
    fill_previous(j, prev);
  } else {
    j.old_cell = marker;
    j.has_previous = false;
  }
  sched::on_system_stack(emit, &j);
}

// relaxed: see g_races.
std::size_t races_found() { return g_races.load(std::memory_order_relaxed); }

std::size_t inversions_found() {
  lock_guard<futex_lock> l(g_mu);
  return g_inversions;
}

std::size_t after_returns_found() {
  lock_guard<futex_lock> l(g_mu);
  return g_after_returns;
}

int finish(int code) {
  ignore_scope no_events;
  lock_guard<futex_lock> l(g_mu);
  const std::size_t n = g_races.load(std::memory_order_relaxed);  // relaxed: g_mu is held
  if (n == 0 && g_inversions == 0 && g_after_returns == 0) return code;
  if (!g_finished) {
    g_finished = true;
    char line[192];
    int len = 0;
    if (n > 0) len = std::snprintf(line, sizeof line, "Found %zu data race(s)\n", n);
    if (g_inversions > 0) {
      len += std::snprintf(line + len, sizeof line - static_cast<std::size_t>(len),
                           "Found %zu lock-order inversion(s)\n", g_inversions);
    }
    if (g_after_returns > 0) {
      len += std::snprintf(line + len, sizeof line - static_cast<std::size_t>(len),
                           "Found %zu stack use(s) after return\n", g_after_returns);
    }
    write_all(log_fd(), line, static_cast<std::size_t>(len));
    const std::string_view schedule = sched::seeded_schedule_line();
    write_all(log_fd(), schedule.data(), schedule.size());
  }
  return opts().exitcode;
}

void set_report_fd_for_testing(int fd) {
  lock_guard<futex_lock> l(g_mu);
  set_log_fd_for_testing(fd);
}

void reset_races_for_testing() {
  lock_guard<futex_lock> l(g_mu);
  g_races.store(0, std::memory_order_relaxed);  // relaxed: g_mu is held
  g_finished = false;
  g_inversions = 0;
  g_after_returns = 0;
  reset_lock_order_reports_for_testing();
  if (g_seen != nullptr) g_seen->clear();
  if (g_seen_lines != nullptr) g_seen_lines->clear();
}

}  // namespace goro::race
