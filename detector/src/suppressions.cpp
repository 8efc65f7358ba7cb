// GORACE suppressions: a file of TSan-style "race:<pattern>" lines, matched as TSan matches them
// ('*' any run, '^' start, '$' end, else a substring) against every frame's function and file of
// both stacks; and "deadlock:<pattern>" lines (TSan's name for lock-order reports), matched the
// same way against every frame of every stack of a lock-order inversion (where each lock was
// taken).
#include "suppressions.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "base.hpp"
#include "context.hpp"
#include "options.hpp"
#include "report.hpp"

namespace goro::race {
namespace {

std::vector<std::string>* g_suppressions = nullptr;           // set at start-up, read-only after
std::vector<std::string>* g_deadlock_suppressions = nullptr;  // likewise, "deadlock:" lines

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

bool matches(const std::vector<std::string>& patterns,
             const std::vector<const debug::frame*>& frames) {
  for (const debug::frame* f : frames) {
    for (const std::string& pattern : patterns) {
      if (template_match(pattern, f->function) || template_match(pattern, f->file)) return true;
    }
  }
  return false;
}

}  // namespace

bool lock_order_suppressed(const lock_order_job& j) {
  if (g_deadlock_suppressions == nullptr || g_deadlock_suppressions->empty()) return false;
  for (const lock_order_edge& e : j.edges) {
    if (matches(*g_deadlock_suppressions, e.who.frames) ||
        matches(*g_deadlock_suppressions, e.held_frames)) {
      return true;
    }
  }
  return false;
}

bool suppressed(const job& j) {
  if (g_suppressions == nullptr || g_suppressions->empty()) return false;
  for (const side* s : {&j.cur, &j.prev}) {
    if (matches(*g_suppressions, s->frames)) return true;
  }
  return false;
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
  g_deadlock_suppressions = new std::vector<std::string>;
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
    if (line.compare(0, 9, "deadlock:") == 0) {
      if (line.size() > 9) g_deadlock_suppressions->push_back(line.substr(9));
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

}  // namespace goro::race
