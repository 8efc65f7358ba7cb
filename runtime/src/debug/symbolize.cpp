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
// another thread is running exit()'s static destructors, and references handed out stay valid (node
// based map, no erase). A dump of a million goroutines parked on the same line resolves each
// distinct pc once; every other lookup is one hash probe under an uncontended mutex. That mutex is
// a leaf lock and is never held while resolving (which may spawn a process): two threads may
// resolve one pc at once and the first to insert wins, which costs only duplicate work.
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

#include <cerrno>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "race/built_once.hpp"

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

// threaded=1: dumps and race reports symbolize from several threads at once. nullptr: the
// executable is found through /proc/self/exe. libbacktrace cannot free a state, so there is one.
backtrace_state* new_backtrace_state() {
  return backtrace_create_state(nullptr, 1, ignore_error, nullptr);
}

backtrace_state* libbacktrace() { return built_once<new_backtrace_state>(); }

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

struct llvm_symbolizer_memo {
  std::mutex mu;                                  // leaf lock, never held across a spawn
  bool missing = false;                           // guarded by mu: the tool is not installed
  std::unordered_set<std::string> useless_files;  // guarded by mu: it named nothing in these
};

llvm_symbolizer_memo* new_memo() { return new llvm_symbolizer_memo; }

// Leaked on purpose, see the file comment.
llvm_symbolizer_memo& memo() { return *built_once<new_memo>(); }

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
  llvm_symbolizer_memo& m = memo();
  {
    std::lock_guard lock(m.mu);
    if (m.missing || m.useless_files.count(where->path) != 0) return {};
  }
  std::string output;
  const int error = run_llvm_symbolizer(*where, output);
  std::vector<frame> chain = parse_llvm_symbolizer(output);
  std::lock_guard lock(m.mu);
  if (error == ENOENT) {
    m.missing = true;
  } else if (error == 0 && !has_function(chain)) {
    m.useless_files.insert(where->path);
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

struct symbol_cache {
  std::mutex mu;                                                       // leaf lock
  std::unordered_map<std::uintptr_t, const std::vector<frame>> by_pc;  // guarded by mu
};

symbol_cache* new_cache() { return new symbol_cache; }

// Leaked on purpose, see the file comment.
symbol_cache& cache() { return *built_once<new_cache>(); }

}  // namespace

const std::vector<frame>& symbolize_inlined(std::uintptr_t pc) {
  symbol_cache& c = cache();
  {
    std::lock_guard lock(c.mu);
    if (auto it = c.by_pc.find(pc); it != c.by_pc.end()) return it->second;
  }
  std::vector<frame> fresh = resolve(pc);
  std::lock_guard lock(c.mu);
  return c.by_pc.try_emplace(pc, std::move(fresh)).first->second;
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
