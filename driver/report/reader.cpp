// Reading race report files: splitting JSON lines, parsing each with nlohmann-json and checking it
// against schema v1 field by field. A problem names the field by its path from the line's root
// ("current.stack[2].line: expected a non-negative integer, got string"), which is what finds it
// in a line of several kilobytes. Fields the schema does not list are ignored, so a writer may add
// some without a new version; a missing or mistyped field rejects the line.
#include "reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace goro::driver::report {
namespace {

using json = nlohmann::json;

constexpr std::uint64_t kSchemaVersion = 1;

// Longest nlohmann parse message quoted in a problem; its "last read" part can hold a whole value.
constexpr std::size_t kMaxReasonLength = 120;

// Why one line was rejected; what() is the message without the "FILE:LINE: " prefix.
class line_problem : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// How a value is named in "expected X, got Y": its type, with the value for numbers.
std::string describe(const json& value) {
  if (value.is_number()) return "number " + value.dump();
  return value.type_name();
}

// One JSON object of the schema and its path from the line's root, for problems.
class object_fields {
 public:
  object_fields(const json& value, std::string path) : value_(value), path_(std::move(path)) {
    if (!value.is_object()) {
      std::string what = "expected an object, got " + describe(value);
      throw line_problem(path_.empty() ? what : path_ + ": " + what);
    }
  }

  std::string path_to(const char* key) const { return path_.empty() ? key : path_ + "." + key; }

  [[noreturn]] void fail(const char* key, const std::string& what) const {
    throw line_problem(path_to(key) + ": " + what);
  }

  const json& field(const char* key) const {
    auto it = value_.find(key);
    if (it == value_.end()) fail(key, "missing");
    return *it;
  }

  std::string string(const char* key) const {
    const json& v = field(key);
    if (!v.is_string()) fail(key, "expected a string, got " + describe(v));
    return v.get<std::string>();
  }

  // A string that must be one of `choices`.
  std::string one_of(const char* key, std::initializer_list<std::string_view> choices) const {
    std::string v = string(key);
    std::string expected;
    for (std::string_view c : choices) {
      if (v == c) return v;
      expected += (expected.empty() ? "\"" : " or \"") + std::string(c) + "\"";
    }
    fail(key, "expected " + expected + ", got \"" + v + "\"");
  }

  // An optional flag: false when absent.
  bool flag(const char* key) const { return value_.contains(key) && boolean(key); }

  bool boolean(const char* key) const {
    const json& v = field(key);
    if (!v.is_boolean()) fail(key, "expected true or false, got " + describe(v));
    return v.get<bool>();
  }

  std::uint64_t count(const char* key) const {
    const json& v = field(key);
    if (!v.is_number_unsigned()) fail(key, "expected a non-negative integer, got " + describe(v));
    return v.get<std::uint64_t>();
  }

  const json& array(const char* key) const {
    const json& v = field(key);
    if (!v.is_array()) fail(key, "expected an array, got " + describe(v));
    return v;
  }

  object_fields object(const char* key) const { return {field(key), path_to(key)}; }

  bool is_null(const char* key) const { return field(key).is_null(); }

 private:
  const json& value_;
  std::string path_;
};

std::vector<frame> parse_frames(const json& array, const std::string& path) {
  std::vector<frame> frames;
  for (std::size_t i = 0; i < array.size(); ++i) {
    object_fields f(array[i], path + "[" + std::to_string(i) + "]");
    frames.push_back({f.string("function"), f.string("file"), f.count("line"), f.count("offset"),
                      f.string("pc")});
  }
  return frames;
}

goroutine parse_goroutine(const object_fields& g) {
  goroutine out;
  out.id = g.count("id");
  out.name = g.string("name");
  out.is_thread = g.one_of("kind", {"goroutine", "thread"}) == "thread";
  out.is_main = g.boolean("main");
  out.finished = g.one_of("state", {"running", "finished"}) == "finished";
  if (!g.is_null("created_at")) {
    out.created_at = parse_frames(g.array("created_at"), g.path_to("created_at"));
  }
  return out;
}

access parse_access(const object_fields& a) {
  access out;
  out.is_write = a.one_of("op", {"read", "write"}) == "write";
  out.atomic = a.boolean("atomic");
  out.address = a.string("address");
  if (!a.is_null("goroutine")) out.by = parse_goroutine(a.object("goroutine"));
  out.restored = a.boolean("restored");
  out.stack = parse_frames(a.array("stack"), a.path_to("stack"));
  return out;
}

// The version comes first: a line of another version may have other fields, and saying "unknown
// version" is more useful than naming the first field that differs.
void check_version(const object_fields& root) {
  const json& version = root.field("version");
  if (!version.is_number()) root.fail("version", "expected a number, got " + describe(version));
  if (!version.is_number_unsigned() || version.get<std::uint64_t>() != kSchemaVersion) {
    throw line_problem("unknown version " + version.dump() + " (goro report reads version " +
                       std::to_string(kSchemaVersion) + ")");
  }
}

lock_edge parse_edge(const object_fields& e) {
  lock_edge out;
  out.from = e.string("from");
  out.to = e.string("to");
  out.from_write = e.one_of("from_op", {"read", "write"}) == "write";
  out.to_write = e.one_of("to_op", {"read", "write"}) == "write";
  if (!e.is_null("goroutine")) out.by = parse_goroutine(e.object("goroutine"));
  out.stack = parse_frames(e.array("stack"), e.path_to("stack"));
  out.held_stack = parse_frames(e.array("held_stack"), e.path_to("held_stack"));
  return out;
}

// An edge as an "access" (the lock it took, where), for what treats every report as a pair.
access access_of_edge(const lock_edge& e) {
  access a;
  a.is_write = e.to_write;
  a.address = e.to;
  a.by = e.by;
  a.stack = e.stack;
  return a;
}

deadlock_member parse_member(const object_fields& m) {
  deadlock_member out;
  out.who = parse_goroutine(m.object("goroutine"));
  out.state = m.string("state");
  out.wants = m.string("wants");
  out.lock = m.one_of("lock", {"sync.Mutex", "sync.RWMutex"});
  out.mode = m.one_of("mode", {"lock", "write", "read"});
  out.waits_for = m.count("waits_for");
  const json& says = m.array("says");
  for (std::size_t i = 0; i < says.size(); ++i) {
    if (!says[i].is_string())
      m.fail("says", "expected strings, got " + describe(says[i]) + " at " + std::to_string(i));
    out.says.push_back(says[i].get<std::string>());
  }
  out.stack = parse_frames(m.array("stack"), m.path_to("stack"));
  return out;
}

// Whether f is a standard library header's inline code (std::lock_guard's constructor is where a
// goroutine waits for a lock, in every program).
bool in_std_library(const frame& f) { return f.file.find("/include/c++/") != std::string::npos; }

// A goroutine of a partial deadlock as an "access" (the lock it wants, where it waits), located at
// the program's own frame: the standard library's frames above it are left out of its stack, so
// that deadlocks in different code do not all group at std::lock_guard.
access access_of_member(const deadlock_member& m) {
  access a;
  a.is_write = m.mode != "read";
  a.address = m.wants;
  a.by = m.who;
  auto own = std::find_if_not(m.stack.begin(), m.stack.end(), in_std_library);
  a.stack.assign(own == m.stack.end() ? m.stack.begin() : own, m.stack.end());
  return a;
}

// A stress_failure line's frames: function, file and line only.
std::vector<frame> parse_stress_frames(const json& array, const std::string& path) {
  std::vector<frame> frames;
  for (std::size_t i = 0; i < array.size(); ++i) {
    object_fields f(array[i], path + "[" + std::to_string(i) + "]");
    frame& out = frames.emplace_back();
    out.function = f.string("function");
    out.file = f.string("file");
    out.line = f.count("line");
  }
  return frames;
}

// The fields of a stress_failure line between `program` and `text`, in the schema's order.
stress_group parse_stress_group(const object_fields& root) {
  stress_group out;
  out.kind =
      root.one_of("kind", {"data race", "lock-order inversion", "deadlock", "partial deadlock",
                           "panic", "fatal error", "timeout", "signal", "exit status"});
  out.headline = root.string("headline");
  out.runs = root.count("runs");
  if (out.runs == 0) root.fail("runs", "expected at least 1, got 0");
  out.of = root.count("of");
  if (out.of < out.runs) {
    root.fail("of", "expected at least runs (" + std::to_string(out.runs) + "), got " +
                        std::to_string(out.of));
  }
  out.seed = root.count("seed");
  out.pct = root.count("pct");
  out.command = root.string("command");
  out.frames = parse_stress_frames(root.array("frames"), root.path_to("frames"));
  out.output = root.string("output");
  return out;
}

race_report parse_report(const json& line) {
  object_fields root(line, "");
  check_version(root);
  const std::string type = root.string("type");
  if (type != "data_race" && type != "lock_order_inversion" && type != "partial_deadlock" &&
      type != "stress_failure") {
    root.fail("type", "unknown report type \"" + type +
                          "\" (goro report reads \"data_race\", \"lock_order_inversion\", "
                          "\"partial_deadlock\" and \"stress_failure\")");
  }
  race_report r;
  r.time = root.string("time");
  r.pid = root.count("pid");
  r.program = root.string("program");
  if (type == "lock_order_inversion") {
    r.kind = report_kind::lock_order_inversion;
    const json& cycle = root.array("cycle");
    if (cycle.size() < 2)
      root.fail("cycle", "expected at least 2 edges, got " + std::to_string(cycle.size()));
    for (std::size_t i = 0; i < cycle.size(); ++i) {
      r.cycle.push_back(parse_edge(object_fields(cycle[i], "cycle[" + std::to_string(i) + "]")));
    }
    r.current = access_of_edge(r.cycle.front());
    r.previous = access_of_edge(r.cycle.back());
  } else if (type == "partial_deadlock") {
    r.kind = report_kind::partial_deadlock;
    r.fatal = root.boolean("fatal");
    const json& members = root.array("goroutines");
    if (members.size() < 2)
      root.fail("goroutines",
                "expected at least 2 goroutines, got " + std::to_string(members.size()));
    for (std::size_t i = 0; i < members.size(); ++i) {
      r.deadlock.push_back(
          parse_member(object_fields(members[i], "goroutines[" + std::to_string(i) + "]")));
    }
    r.current = access_of_member(r.deadlock.front());
    r.previous = access_of_member(r.deadlock.back());
  } else if (type == "stress_failure") {
    r.kind = report_kind::stress_failure;
    r.stress = parse_stress_group(root);
  } else {
    r.current = parse_access(root.object("current"));
    r.previous = parse_access(root.object("previous"));
    r.after_return = root.flag("after_return");
  }
  // Checked, and kept only of a stress group, where it is the one copy of the failing run's
  // output the line has: every other output renders from the fields above.
  std::string text = root.string("text");
  if (r.kind == report_kind::stress_failure) r.stress.text = std::move(text);
  return r;
}

// nlohmann's message without its "[json.exception.…] parse error at line 1, column N: " preamble.
std::string reason_of(const json::exception& e) {
  std::string_view what = e.what();
  if (auto end = what.find("] "); end != std::string_view::npos) what.remove_prefix(end + 2);
  if (auto end = what.find(": ");
      what.starts_with("parse error") && end != std::string_view::npos) {
    what.remove_prefix(end + 2);
  }
  if (what.size() <= kMaxReasonLength) return std::string(what);
  return std::string(what.substr(0, kMaxReasonLength)) + "…";
}

race_report parse_line(std::string_view line, bool ends_input_without_newline) {
  json value;
  try {
    value = json::parse(line.begin(), line.end());
  } catch (const json::parse_error& e) {
    // nlohmann puts the error one past the last byte when the input ran out inside a value.
    if (e.byte > line.size()) {
      throw line_problem(ends_input_without_newline
                             ? "truncated last line (the input ends inside a report)"
                             : "truncated JSON (the line ends inside a report)");
    }
    throw line_problem("invalid JSON at column " + std::to_string(e.byte) + ": " + reason_of(e));
  } catch (const json::exception& e) {  // out_of_range: a number too large for a double
    throw line_problem("invalid JSON: " + reason_of(e));
  }
  return parse_report(value);
}

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// Appends everything readable from `fd` to `out`; false (errno set) on a read error.
bool read_all(int fd, std::string& out) {
  char buffer[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n == 0) return true;
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace

void parse_lines(std::string_view text, const std::string& name, input& into) {
  for (std::size_t line_number = 1; !text.empty(); ++line_number) {
    const std::size_t newline = text.find('\n');
    const bool has_newline = newline != std::string_view::npos;
    const std::string_view line = text.substr(0, newline);
    text.remove_prefix(has_newline ? newline + 1 : text.size());
    if (is_blank(line)) continue;
    try {
      race_report r = parse_line(line, !has_newline);
      r.input = name;
      r.input_line = line_number;
      into.reports.push_back(std::move(r));
    } catch (const line_problem& p) {
      into.problems.push_back(name + ":" + std::to_string(line_number) + ": " + p.what());
    }
  }
}

void read_file(const std::string& path, input& into) {
  const bool is_stdin = path == "-";
  const std::string name = is_stdin ? std::string(kStdinName) : path;
  const int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    into.problems.push_back(name + ": " + std::strerror(errno));
    return;
  }
  std::string text;
  const bool complete = read_all(fd, text);
  const int read_errno = errno;
  if (!is_stdin) ::close(fd);
  // What was read before an error is still parsed: nothing valid is lost.
  if (!complete) into.problems.push_back(name + ": " + std::strerror(read_errno));
  parse_lines(text, name, into);
}

}  // namespace goro::driver::report
