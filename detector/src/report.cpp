// Race reports (report.hpp): restoring the previous access's stack, deduplication, suppressions,
// and writing the text and JSON forms. Runs on the M's system stack (the symbolizer needs more than
// a goroutine's 64 KiB), one report at a time, with the hooks ignored on this thread.
#include "report.hpp"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_set>
#include <vector>

#include "context.hpp"
#include "debug/traceback.hpp"
#include "history.hpp"
#include "options.hpp"
#include "sched/sched.hpp"
#include "slots.hpp"
#include "stack_depot.hpp"

namespace goro::race {
namespace {

constexpr const char* kSeparator = "==================\n";

// One side of a race: the access and who made it.
struct side {
  std::uintptr_t addr = 0;
  bool write = false;
  bool atomic = false;
  bool known = false;  // the goroutine is known (the slot's journal named it)
  std::int64_t goid = 0;
  bool is_main = false;
  bool is_thread = false;
  bool finished = false;
  std::uint32_t create_stack = 0;
  restored_stack stack;
  bool restored = false;
  std::vector<const debug::frame*> frames;
  std::vector<const debug::frame*> created_frames;
};

struct job {
  side cur;
  side prev;
  bool vptr = false;  // the current access was of a vtable pointer
  bool free = false;  // the current access was the program's free of the block
  // The racing cells: the shadow word and the two accesses.
  std::uintptr_t word = 0;
  raw_cell cur_cell = 0;
  raw_cell old_cell = 0;
};

futex_lock g_mu;                      // one report at a time; guards everything below
std::atomic<std::size_t> g_races{0};  // relaxed: read at exit, after every report finished
bool g_finished = false;
int g_test_fd = -1;
int g_log_fd = -1;
pid_t g_log_pid = 0;
int g_json_fd = -1;
pid_t g_json_pid = 0;
std::unordered_set<std::uint64_t>* g_seen = nullptr;        // pc pairs already reported
std::unordered_set<std::string>* g_seen_lines = nullptr;    // pairs of source locations, likewise
std::unordered_set<std::uint64_t>* g_racy_cells = nullptr;  // accesses in a reported race
std::vector<std::string>* g_suppressions = nullptr;

void append_hex(std::string& out, std::uintptr_t v, int width = 0) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%0*lx", width, static_cast<unsigned long>(v));
  out += buf;
}

std::string stripped(const std::string& file) {
  const char* prefix = opts().strip_path_prefix;
  const std::size_t n = std::strlen(prefix);
  if (n > 0 && file.compare(0, n, prefix) == 0) return file.substr(n);
  return file;
}

// "goroutine 7", "main goroutine", "thread T3", "main thread".
std::string who(const side& s) {
  if (!s.known) return "unknown goroutine";
  if (s.is_thread) return s.is_main ? "main thread" : "thread T" + std::to_string(s.goid);
  return s.is_main ? "main goroutine" : "goroutine " + std::to_string(s.goid);
}

std::string access_name(const side& s, bool previous) {
  std::string name = previous ? "Previous " : "";
  if (s.atomic) name += previous ? "atomic " : "Atomic ";
  if (previous || s.atomic) {
    name += s.write ? "write" : "read";
  } else {
    name += s.write ? "Write" : "Read";
  }
  return name;
}

std::vector<const debug::frame*> frames_of(const std::uintptr_t* pcs, std::size_t n) {
  std::vector<const debug::frame*> frames = debug::visible_frames(pcs, n);
  if (frames.empty()) {
    // Nothing but runtime frames: show them rather than nothing.
    for (std::size_t i = 0; i < n; ++i) {
      for (const debug::frame& f : debug::symbolize_inlined(pcs[i])) frames.push_back(&f);
    }
  }
  return frames;
}

void append_stack(std::string& out, const std::vector<const debug::frame*>& frames, bool known) {
  if (!known || frames.empty()) {
    out += "  [failed to restore the stack]\n";
    return;
  }
  for (const debug::frame* f : frames) {
    out += "  ";
    out += f->function;
    out += "\n      ";
    if (f->function == "??") {
      out += "??:0 pc=";
      append_hex(out, f->pc);
    } else {
      out += f->file.empty() ? "??" : stripped(f->file);
      out += ':';
      out += std::to_string(f->line);
      out += " +";
      append_hex(out, f->offset);
    }
    out += '\n';
  }
}

bool creation_block_wanted(const side& s) { return s.known && !s.is_main; }

void append_creation(std::string& out, const side& s) {
  out += '\n';
  out += s.is_thread ? "Thread T" : "Goroutine ";
  out += std::to_string(s.goid);
  out += s.finished ? " (finished)" : " (running)";
  out += " created at:\n";
  append_stack(out, s.created_frames, s.create_stack != 0);
}

std::string text_of(const job& j) {
  std::string out = kSeparator;
  // A vptr race keeps Go's first words, with ThreadSanitizer's name for the kind after them.
  out +=
      j.vptr ? "WARNING: DATA RACE on vptr (ctor/dtor vs virtual call)\n" : "WARNING: DATA RACE\n";
  out += access_name(j.cur, false) + " at ";
  append_hex(out, j.cur.addr, 12);
  out += " by " + who(j.cur) + ":\n";
  append_stack(out, j.cur.frames, true);
  out += '\n';
  out += access_name(j.prev, true) + " at ";
  append_hex(out, j.prev.addr, 12);
  out += " by " + who(j.prev) + ":\n";
  append_stack(out, j.prev.frames, j.prev.restored);
  if (creation_block_wanted(j.cur)) append_creation(out, j.cur);
  const bool same =
      j.prev.known && j.prev.goid == j.cur.goid && j.prev.is_thread == j.cur.is_thread;
  if (creation_block_wanted(j.prev) && !same) append_creation(out, j.prev);
  out += kSeparator;
  return out;
}

// ---- JSON (schema: docs/report-format.md)

void json_string(std::string& out, const std::string& s) {
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  out += '"';
}

void json_frames(std::string& out, const std::vector<const debug::frame*>& frames) {
  out += '[';
  bool first = true;
  for (const debug::frame* f : frames) {
    if (!first) out += ',';
    first = false;
    out += "{\"function\":";
    json_string(out, f->function);
    out += ",\"file\":";
    json_string(out, stripped(f->file));
    out += ",\"line\":" + std::to_string(f->line) + ",\"offset\":" + std::to_string(f->offset) +
           ",\"pc\":";
    std::string pc;
    append_hex(pc, f->pc);
    json_string(out, pc);
    out += '}';
  }
  out += ']';
}

void json_side(std::string& out, const side& s, bool restored) {
  out += "{\"op\":";
  json_string(out, s.write ? "write" : "read");
  out += ",\"atomic\":";
  out += s.atomic ? "true" : "false";
  out += ",\"address\":";
  std::string addr;
  append_hex(addr, s.addr, 12);
  json_string(out, addr);
  out += ",\"goroutine\":";
  if (s.known) {
    out += "{\"id\":" + std::to_string(s.goid) + ",\"name\":";
    json_string(out, who(s));
    out += ",\"kind\":";
    json_string(out, s.is_thread ? "thread" : "goroutine");
    out += ",\"main\":";
    out += s.is_main ? "true" : "false";
    out += ",\"state\":";
    json_string(out, s.finished ? "finished" : "running");
    out += ",\"created_at\":";
    if (s.create_stack != 0 && !s.is_main) {
      json_frames(out, s.created_frames);
    } else {
      out += "null";
    }
    out += '}';
  } else {
    out += "null";
  }
  out += ",\"restored\":";
  out += restored ? "true" : "false";
  out += ",\"stack\":";
  json_frames(out, restored ? s.frames : std::vector<const debug::frame*>{});
  out += '}';
}

std::string program_path() {
  char buf[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("?");
}

std::string json_of(const job& j, const std::string& text) {
  std::string out = "{\"version\":1,\"type\":\"data_race\",\"time\":";
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  tm utc{};
  gmtime_r(&ts.tv_sec, &utc);
  char when[64];
  std::snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                ts.tv_nsec / 1000000);
  json_string(out, when);
  out += ",\"pid\":" + std::to_string(getpid()) + ",\"program\":";
  json_string(out, program_path());
  out += ",\"current\":";
  json_side(out, j.cur, true);
  out += ",\"previous\":";
  json_side(out, j.prev, j.prev.restored);
  out += ",\"text\":";
  json_string(out, text);
  out += "}\n";
  return out;
}

// ---- output

int log_fd() {
  if (g_test_fd >= 0) return g_test_fd;
  const char* path = opts().log_path;
  if (path[0] == '\0' || std::strcmp(path, "stderr") == 0) return 2;
  if (std::strcmp(path, "stdout") == 0) return 1;
  if (g_log_fd < 0 || g_log_pid != getpid()) {
    char full[PATH_MAX + 32];
    std::snprintf(full, sizeof full, "%s.%d", path, static_cast<int>(getpid()));
    g_log_fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    g_log_pid = getpid();
    if (g_log_fd < 0) g_log_fd = 2;
  }
  return g_log_fd;
}

// The json_path file, opened (created) once per process: a forked child opens its own.
int json_fd() {
  if (g_json_fd < 0 || g_json_pid != getpid()) {
    g_json_fd = open(opts().json_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    g_json_pid = getpid();
  }
  return g_json_fd;
}

void write_json(const std::string& line) {
  if (opts().json_path[0] == '\0') return;
  const int fd = json_fd();
  if (fd >= 0) write_all(fd, line.data(), line.size());
}

// ---- suppressions: TSan's template matching ('*' any run, '^' start, '$' end, else substring)

bool match_here(const char* p, const char* s) {
  for (;; ++p, ++s) {
    if (*p == '\0') return true;
    if (*p == '$' && p[1] == '\0') return *s == '\0';
    if (*p == '*') {
      for (;; ++s) {
        if (match_here(p + 1, s)) return true;
        if (*s == '\0') return false;
      }
    }
    if (*s == '\0' || *p != *s) return false;
  }
}

bool template_match(const std::string& pattern, const std::string& s) {
  const char* p = pattern.c_str();
  if (*p == '^') return match_here(p + 1, s.c_str());
  for (const char* q = s.c_str();; ++q) {
    if (match_here(p, q)) return true;
    if (*q == '\0') return false;
  }
}

bool suppressed(const job& j) {
  if (g_suppressions == nullptr || g_suppressions->empty()) return false;
  for (const side* s : {&j.cur, &j.prev}) {
    for (const debug::frame* f : s->frames) {
      for (const std::string& pattern : *g_suppressions) {
        if (template_match(pattern, f->function) || template_match(pattern, f->file)) return true;
      }
    }
  }
  return false;
}

// ---- assembling a report

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

void symbolize_side(side& s) {
  if (s.stack.n > 0) s.frames = frames_of(s.stack.pcs, static_cast<std::size_t>(s.stack.n));
  if (s.create_stack != 0) {
    std::size_t n = 0;
    const std::uintptr_t* pcs = depot_get(s.create_stack, n);
    s.created_frames = frames_of(pcs, n);
  }
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
  const std::uintptr_t a = j.cur.stack.pcs[0];
  const std::uintptr_t b = j.prev.restored ? j.prev.stack.pcs[0] : 0;
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
  std::string here = location_of(j.cur);
  std::string there = j.prev.restored ? location_of(j.prev) : "?";
  if (there < here) std::swap(here, there);
  if (!g_seen_lines->insert(here + "\n" + there).second) return;
  if (suppressed(j)) return;
  const std::string text = text_of(j);
  write_all(log_fd(), text.data(), text.size());
  write_json(json_of(j, text));
  g_races.fetch_add(1, std::memory_order_relaxed);  // relaxed: see g_races (and g_mu is held)
  if (opts().halt_on_error) {
    // What the program printed so far is not lost (as at any exit the runtime makes).
    std::fflush(nullptr);
    _exit(opts().exitcode);
  }
}

}  // namespace

void report_race(context* c, std::uintptr_t word, raw_cell cur, raw_cell old, std::uintptr_t pc) {
  // A goroutine reaching its thread's own thread-locals through a pointer (a member function's
  // `this`, a libc call): goroutines that run one after another on a thread share them with no
  // edge the detector could see (race_abi.h, __goro_tls_*), so this is a scheduling artefact. The
  // same variable reached from another thread is still reported: its address is outside that
  // thread's block.
  if (c->kind == context_kind::goroutine && in_own_static_tls(word)) return;
  ignore_scope no_events;
  job j;
  j.vptr = tls.vptr_access;
  j.free = tls.free_access;
  j.word = word;
  j.cur_cell = cur;
  j.old_cell = old;
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
      // The record was evicted; the journal still knows the goroutine's id.
      j.prev.known = true;
      j.prev.goid = who_ran.goid;
      j.prev.finished = true;
    }
  }
  sched::on_system_stack(emit, &j);
}

// relaxed: see g_races.
std::size_t races_found() { return g_races.load(std::memory_order_relaxed); }

int finish(int code) {
  ignore_scope no_events;
  lock_guard<futex_lock> l(g_mu);
  const std::size_t n = g_races.load(std::memory_order_relaxed);  // relaxed: g_mu is held
  if (n == 0) return code;
  if (!g_finished) {
    g_finished = true;
    char line[64];
    const int len = std::snprintf(line, sizeof line, "Found %zu data race(s)\n", n);
    write_all(log_fd(), line, static_cast<std::size_t>(len));
  }
  return opts().exitcode;
}

void load_suppressions() {
  const char* path = opts().suppressions;
  if (path[0] == '\0') return;
  ignore_scope no_events;
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::string msg = std::string("goro: GORACE suppressions: cannot open ") + path + ": " +
                      std::strerror(errno) + "\n";
    write_all(2, msg.data(), msg.size());
    _exit(2);
  }
  std::string content;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;)
    content.append(buf, static_cast<std::size_t>(n));
  close(fd);
  g_suppressions = new std::vector<std::string>;
  std::size_t pos = 0;
  int lineno = 0;
  while (pos <= content.size()) {
    std::size_t nl = content.find('\n', pos);
    if (nl == std::string::npos) nl = content.size();
    std::string line = content.substr(pos, nl - pos);
    pos = nl + 1;
    ++lineno;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r' || line.back() == '\t')) {
      line.pop_back();
    }
    std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    line = line.substr(first);
    if (line.compare(0, 5, "race:") == 0) {
      if (line.size() > 5) g_suppressions->push_back(line.substr(5));
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) {
      std::string msg = std::string("goro: GORACE suppressions: ") + path + ":" +
                        std::to_string(lineno) + ": expected \"race:<pattern>\", got \"" + line +
                        "\"\n";
      write_all(2, msg.data(), msg.size());
      _exit(2);
    }
    // Other TSan suppression types (thread:, mutex:, ...) name reports goro never makes.
  }
}

void open_json_output() {
  const char* path = opts().json_path;
  if (path[0] == '\0') return;
  ignore_scope no_events;
  if (json_fd() >= 0) return;
  std::string msg = std::string("goro: GORACE json_path: cannot open ") + path + ": " +
                    std::strerror(errno) + "\n";
  write_all(2, msg.data(), msg.size());
  _exit(2);
}

void set_report_fd_for_testing(int fd) {
  lock_guard<futex_lock> l(g_mu);
  g_test_fd = fd;
}

void reset_races_for_testing() {
  lock_guard<futex_lock> l(g_mu);
  g_races.store(0, std::memory_order_relaxed);  // relaxed: g_mu is held
  g_finished = false;
  if (g_seen != nullptr) g_seen->clear();
  if (g_seen_lines != nullptr) g_seen_lines->clear();
}

}  // namespace goro::race
