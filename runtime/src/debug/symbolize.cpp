// Symbolization: a return address becomes function, file, line and offset.
//
// Where the answer comes from, in order:
//  1. libbacktrace (GCC's, linked statically). backtrace_pcinfo reads the DWARF line table and the
//     inline tree: file, line and function (often a mangled linkage name), once per inlined level.
//     backtrace_syminfo reads the ELF symbol table: the start of the function, for Go's "+0x2c",
//     and a name for code without DWARF (libc, libstdc++). It looks at the executable and at the
//     libraries loaded when it is first used, in-process.
//  2. llvm-symbolizer-14 as a subprocess, only when libbacktrace found no name at all, and not for
//     the libraries in the system's directories (/lib, /usr/lib): their DWARF is in -dbg packages
//     that are seldom installed, so the tool knows no more than dladdr there. It reads
//     split DWARF and sees libraries dlopen'ed after libbacktrace's one look at the process. A
//     process per pc costs tens of milliseconds (about 50 for a test binary), tolerable only
//     because the cache asks once per pc; a module it could not name anything in is not asked about
//     again, and a missing tool is not looked for again.
//  3. dladdr: the dynamic symbol table, which names the exported functions of any loaded module.
// Names are demangled here (abi::__cxa_demangle), so every caller prints "increment(int*)".
//
// The cache maps pc -> frames and is never trimmed or destroyed: a fatal path may symbolize while
// another thread is running exit()'s static destructors, and references handed out stay valid. A
// dump of a million goroutines parked on the same line resolves each distinct pc once; every other
// lookup is one hash and a short chain walk.
//
// Nothing here locks. A program with a corrupted heap can fault in any allocation, one of ours
// included, and the fatal report that follows symbolizes again on the same thread: a mutex or a
// pthread_once held across that allocation would be waited for forever. So the cache's chains, the
// memo of llvm-symbolizer's useless files and the libbacktrace state are published with one
// compare-and-swap each, after everything they hold is built. Two threads may resolve one pc at
// once; the first to publish wins and the other drops its copy, which costs only duplicate work.
// tests/runtime/symbolize_fault_test.cpp faults at each allocation of a lookup in turn.
//
// Rejected: backtrace_symbols(3) (dynamic symbols only, no lines); addr2line per dump (a process
// for every pc of every dump); libdw (one more dependency for what libbacktrace already reads).
#include "debug/symbolize.hpp"

#include <backtrace.h>
#include <cxxabi.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>

extern char** environ;

namespace goro::debug {
namespace {

// What the sources found for one pc, before it becomes frames.
struct lookup {
  std::vector<frame> chain;  // innermost first; names may still be mangled or empty
  std::string symbol;        // the ELF symbol containing the pc
  std::uintptr_t start = 0;  // that symbol's address
};

bool has_function(const std::vector<frame>& chain) {
  for (const frame& f : chain) {
    if (!f.function.empty()) return true;
  }
  return false;
}

// ---- libbacktrace ----

// Errors mean "no answer from this source"; the next source is tried, so nothing is recorded.
void ignore_error(void*, const char*, int) {}

constinit std::atomic<backtrace_state*> g_backtrace_state{nullptr};

// threaded=1: dumps and race reports symbolize from several threads at once. nullptr: the
// executable is found through /proc/self/exe. A state reads no DWARF until it is first asked, so
// a thread that loses the race to publish one drops a few hundred bytes (libbacktrace cannot free
// a state) and nothing else.
backtrace_state* libbacktrace() {
  // acquire: pairs with the release below; the state is fully built before it is used.
  backtrace_state* state = g_backtrace_state.load(std::memory_order_acquire);
  if (state != nullptr) return state;
  backtrace_state* fresh = backtrace_create_state(nullptr, 1, ignore_error, nullptr);
  if (fresh == nullptr) return nullptr;
  if (g_backtrace_state.compare_exchange_strong(state, fresh, std::memory_order_release,
                                                std::memory_order_acquire)) {
    return fresh;
  }
  return state;
}

// GCC 12's libbacktrace joins a DWARF 5 file name to its directory even when the name is absolute,
// giving "<dir>//<absolute path>" (clang-14 emits that for a source outside the current directory,
// as in `goro run /src/racy.cpp`). Keeps the absolute part, unless the joined path really exists.
std::string repair_joined_path(const char* file) {
  std::string path = file;
  const std::size_t slashes = path.find("//", 1);
  if (slashes == std::string::npos || access(file, F_OK) == 0) return path;
  return path.substr(slashes + 1);
}

int on_pcinfo(void* data, std::uintptr_t, const char* file, int line, const char* function) {
  if (file == nullptr && function == nullptr) return 0;  // pc not covered: not a frame
  frame f;
  f.function = function != nullptr ? function : "";
  f.file = file != nullptr ? repair_joined_path(file) : "";
  f.line = line;
  static_cast<lookup*>(data)->chain.push_back(std::move(f));
  return 0;  // continue with the function this one was inlined into
}

void on_syminfo(void* data, std::uintptr_t, const char* name, std::uintptr_t start,
                std::uintptr_t) {
  if (name == nullptr) return;
  auto* l = static_cast<lookup*>(data);
  l->symbol = name;
  l->start = start;
}

void ask_libbacktrace(std::uintptr_t at, lookup& l) {
  backtrace_state* state = libbacktrace();
  if (state == nullptr) return;
  backtrace_pcinfo(state, at, on_pcinfo, ignore_error, &l);
  backtrace_syminfo(state, at, on_syminfo, ignore_error, &l);
}

// ---- llvm-symbolizer ----

constexpr const char* kLlvmSymbolizer = "llvm-symbolizer-14";

// How long a silent llvm-symbolizer is waited for before it is killed. Indexing a large binary's
// DWARF takes seconds; past this a dump is better served by "??" than by hanging.
constexpr int kLlvmSymbolizerTimeoutMs = 10'000;

// The tool is not installed: it is not looked for again.
constinit std::atomic<bool> g_llvm_symbolizer_missing{false};

// A file the tool named nothing in; the list only grows, and a file may appear twice when two
// threads learn it at once.
struct useless_file {
  std::string path;
  useless_file* next;
};

constinit std::atomic<useless_file*> g_useless_files{nullptr};

bool is_useless(const std::string& path) {
  // acquire: pairs with the release in remember_useless; a node's path is complete when seen.
  for (const useless_file* f = g_useless_files.load(std::memory_order_acquire); f != nullptr;
       f = f->next) {
    if (f->path == path) return true;
  }
  return false;
}

void remember_useless(const std::string& path) {
  auto* f = new useless_file{path, g_useless_files.load(std::memory_order_relaxed)};
  while (!g_useless_files.compare_exchange_weak(f->next, f, std::memory_order_release,
                                                std::memory_order_relaxed)) {
  }
}

// The file holding the code at `at`, named so that another process can open it, and `at` as an
// address in that file (the load bias removed).
struct file_address {
  std::string path;
  std::uintptr_t address;
};

std::optional<file_address> find_file(std::uintptr_t at) {
  Dl_info info;
  link_map* map = nullptr;
  if (dladdr1(reinterpret_cast<void*>(at), &info, reinterpret_cast<void**>(&map),
              RTLD_DL_LINKMAP) == 0 ||
      map == nullptr) {
    return std::nullopt;
  }
  // The executable's link_map has an empty name; the child's /proc/self is not ours, so use the
  // pid.
  std::string path = map->l_name != nullptr && map->l_name[0] != '\0'
                         ? std::string(map->l_name)
                         : "/proc/" + std::to_string(getpid()) + "/exe";
  return file_address{std::move(path), at - map->l_addr};
}

// Reads fd to end of file into out; false if the writer went silent for the timeout.
bool read_to_eof(int fd, std::string& out) {
  char buffer[4096];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const int ready = poll(&p, 1, kLlvmSymbolizerTimeoutMs);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    const ssize_t got = read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return got == 0;
    out.append(buffer, static_cast<std::size_t>(got));
  }
}

// Runs the tool on one address and collects its stdout. Returns 0, or the errno that kept it from
// starting (ENOENT: not installed).
int run_llvm_symbolizer(const file_address& where, std::string& output) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return errno;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);

  std::string tool = kLlvmSymbolizer;
  std::string inlines = "--inlines";
  std::string object = "--obj=" + where.path;
  char address[32];
  std::snprintf(address, sizeof address, "0x%" PRIxPTR, where.address);
  char* argv[] = {tool.data(), inlines.data(), object.data(), address, nullptr};

  pid_t pid = 0;
  // posix_spawn, not fork: the caller may be one of many threads, possibly in a fatal path.
  const int error = posix_spawnp(&pid, tool.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (error == 0) {
    if (!read_to_eof(fds[0], output)) kill(pid, SIGKILL);
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  close(fds[0]);
  return error;
}

std::string_view next_line(std::string_view& text) {
  const std::size_t end = text.find('\n');
  const std::string_view line = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  return line;
}

// "file:line:column", "file:line" or "??:0:0"; the file name itself may contain ':'.
void parse_location(std::string_view location, frame& f) {
  int numbers[2] = {0, 0};  // from the right: column (or line), then line
  int count = 0;
  while (count < 2) {
    const std::size_t colon = location.rfind(':');
    if (colon == std::string_view::npos) break;
    const char* end = location.data() + location.size();
    int value = 0;
    auto [stop, error] = std::from_chars(location.data() + colon + 1, end, value);
    if (error != std::errc{} || stop != end) break;
    numbers[count++] = value;
    location = location.substr(0, colon);
  }
  f.line = count == 2 ? numbers[1] : numbers[0];
  if (location != "??") f.file = location;
}

// The tool's answer for one address: a function line and a location line per inlined level,
// innermost first, "??" where unknown, then an empty line.
std::vector<frame> parse_llvm_symbolizer(std::string_view text) {
  std::vector<frame> chain;
  for (std::string_view function = next_line(text); !function.empty(); function = next_line(text)) {
    frame f;
    if (function != "??") f.function = function;
    parse_location(next_line(text), f);
    if (!f.function.empty() || !f.file.empty()) chain.push_back(std::move(f));
  }
  return chain;
}

// A library of the system's own directories (see the file comment).
bool is_system_library(std::string_view path) {
  for (std::string_view dir : {"/lib/", "/lib64/", "/usr/lib/", "/usr/lib64/"}) {
    if (path.starts_with(dir)) return true;
  }
  return false;
}

bool in_system_library(std::uintptr_t at) {
  const std::optional<file_address> where = find_file(at);
  return where && is_system_library(where->path);
}

std::vector<frame> ask_llvm_symbolizer(std::uintptr_t at) {
  const std::optional<file_address> where = find_file(at);
  if (!where) return {};  // not code of any loaded module: nothing to ask about
  // relaxed: a stale false costs one more failed spawn, nothing else.
  if (g_llvm_symbolizer_missing.load(std::memory_order_relaxed) || is_useless(where->path)) {
    return {};
  }
  std::string output;
  const int error = run_llvm_symbolizer(*where, output);
  std::vector<frame> chain = parse_llvm_symbolizer(output);
  if (error == ENOENT) {
    g_llvm_symbolizer_missing.store(true, std::memory_order_relaxed);
  } else if (error == 0 && !has_function(chain)) {
    remember_useless(where->path);
  }
  return chain;
}

// ---- dladdr ----

void ask_dladdr(std::uintptr_t at, lookup& l) {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(at), &info) == 0 || info.dli_sname == nullptr) return;
  l.symbol = info.dli_sname;
  l.start = reinterpret_cast<std::uintptr_t>(info.dli_saddr);
}

// ---- assembly ----

bool is_mangled(const std::string& name) { return name.rfind("_Z", 0) == 0; }

std::string demangle(const std::string& name) {
  if (!is_mangled(name)) return name;  // already readable (C symbol, DW_AT_name, the tool's)
  int status = 0;
  char* readable = abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status);
  if (status != 0 || readable == nullptr) return name;
  std::string result = readable;
  std::free(readable);
  return result;
}

std::vector<frame> to_frames(std::uintptr_t pc, lookup l) {
  if (l.chain.empty()) l.chain.emplace_back();
  // The symbol is the physical function, the outermost frame. Its mangled name also beats a bare
  // DWARF name: GCC gives functions in anonymous namespaces no linkage name, only "TestBody".
  std::string& outermost = l.chain.back().function;
  if (outermost.empty() || (!is_mangled(outermost) && is_mangled(l.symbol))) outermost = l.symbol;
  const std::uintptr_t offset = l.start != 0 && l.start < pc ? pc - l.start : 0;
  for (frame& f : l.chain) {
    f.function = f.function.empty() ? "??" : demangle(f.function);
    f.pc = pc;
    f.offset = offset;
  }
  return std::move(l.chain);
}

std::vector<frame> resolve(std::uintptr_t pc) {
  lookup l;
  if (pc != 0) {
    // A return address may be the first instruction of the next line, or of the next function after
    // a call that never returns; one byte back is inside the call instruction itself.
    const std::uintptr_t at = pc - 1;
    ask_libbacktrace(at, l);
    // Not for a system library: every panic passes through libstdc++ code that nothing names,
    // and asking would cost each failing program a process of the tool (about 120 ms).
    if (!has_function(l.chain) && l.symbol.empty() && !in_system_library(at)) {
      std::vector<frame> chain = ask_llvm_symbolizer(at);
      if (has_function(chain)) l.chain = std::move(chain);
    }
    if (l.symbol.empty()) ask_dladdr(at, l);
  }
  return to_frames(pc, std::move(l));
}

// ---- the cache ----

// One resolved pc: immutable once published, never freed.
struct cached_pc {
  std::uintptr_t pc;
  std::vector<frame> frames;
  cached_pc* next;  // an older entry of the same bucket
};

// A program's distinct pcs in dumps and reports number in the hundreds or thousands: 4096 chains
// stay short, and the table is 32 KiB of zero pages until a first lookup touches one.
constexpr int kCacheBucketBits = 12;
constinit std::atomic<cached_pc*> g_cache[1 << kCacheBucketBits]{};

std::atomic<cached_pc*>& bucket_of(std::uintptr_t pc) {
  // Fibonacci hashing: the multiply spreads the low bits that distinguish nearby pcs to the top.
  return g_cache[(pc * 0x9e3779b97f4a7c15u) >> (64 - kCacheBucketBits)];
}

const cached_pc* find_in_chain(const cached_pc* entry, std::uintptr_t pc) {
  for (; entry != nullptr; entry = entry->next) {
    if (entry->pc == pc) return entry;
  }
  return nullptr;
}

}  // namespace

const std::vector<frame>& symbolize_inlined(std::uintptr_t pc) {
  std::atomic<cached_pc*>& bucket = bucket_of(pc);
  // acquire, here and on a failed exchange: pairs with the release of the exchange that published
  // an entry, so its frames are complete when it is found.
  cached_pc* head = bucket.load(std::memory_order_acquire);
  if (const cached_pc* known = find_in_chain(head, pc)) return known->frames;
  auto* fresh = new cached_pc{pc, resolve(pc), head};
  while (!bucket.compare_exchange_weak(fresh->next, fresh, std::memory_order_release,
                                       std::memory_order_acquire)) {
    // Another thread published in this bucket meanwhile, perhaps this very pc: one entry per pc
    // keeps every caller's reference to it the same.
    if (const cached_pc* known = find_in_chain(fresh->next, pc)) {
      delete fresh;
      return known->frames;
    }
  }
  return fresh->frames;
}

frame symbolize(std::uintptr_t pc) { return symbolize_inlined(pc).back(); }

std::vector<frame> symbolize_with_llvm_symbolizer(std::uintptr_t pc) {
  if (pc == 0) return {};
  lookup l;
  l.chain = ask_llvm_symbolizer(pc - 1);
  if (l.chain.empty()) return {};
  return to_frames(pc, std::move(l));
}

}  // namespace goro::debug
