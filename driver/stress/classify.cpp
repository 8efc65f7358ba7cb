// Reading a failed run's output: its kind, headline, frames and signature (see classify.hpp).
#include "classify.hpp"

#include <string.h>  // sigabbrev_np (GNU)

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <span>
#include <tuple>

#include "kinds.hpp"

namespace goro::driver::stress {
namespace {

// Lines of output shown under a failure.
constexpr std::size_t kExcerptLines = 12;
// Longer lines are cut in the excerpt (a program may print anything).
constexpr std::size_t kExcerptWidth = 200;
// Frames shown of a failure that is not a pair; the signature counts the first.
constexpr std::size_t kShownFrames = 3;

struct report_kind {
  std::string_view prefix;  // how the headline starts
  std::string_view kind;
};
// Most specific first: "fatal error: partial deadlock" before "fatal error: ".
constexpr std::array<report_kind, 7> kReports = {{
    {"WARNING: DATA RACE", "data race"},
    {"WARNING: lock-order inversion", "lock-order inversion"},
    {"WARNING: stack use after return", "stack use after return"},
    {"fatal error: all goroutines are asleep", "deadlock"},
    {"fatal error: partial deadlock", "partial deadlock"},
    {"panic: ", "panic"},
    {"fatal error: ", "fatal error"},
}};

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An indented "file:line" or "file:line +0xOFF" line: the second line of a frame.
std::optional<frame> location(std::string_view line) {
  if (line.empty() || (line.front() != ' ' && line.front() != '\t')) return std::nullopt;
  line = trim(line);
  if (std::size_t plus = line.rfind(" +0x"); plus != std::string_view::npos) {
    line = line.substr(0, plus);
  }
  std::size_t colon = line.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string_view number = line.substr(colon + 1);
  if (!all_digits(number) || number.size() > 9) return std::nullopt;
  frame f;
  f.file = std::string(line.substr(0, colon));
  f.line = std::stoi(std::string(number));
  return f;
}

// Frames the program wrote, as opposed to the runtime's, the standard library's and unknown ones.
bool is_program_frame(const frame& f) {
  std::string_view fn = f.function;
  if (fn.starts_with("created by ")) fn.remove_prefix(11);
  return f.line != 0 && !fn.starts_with("goro::") && !fn.starts_with("std::") &&
         !fn.starts_with("__") && fn != "??" && f.file.find("/include/c++/") == std::string::npos;
}

// The report's stacks, from `first` on: runs of frames with nothing else between them.
std::vector<std::vector<frame>> stacks(const std::vector<std::string_view>& lines,
                                       std::size_t first) {
  std::vector<std::vector<frame>> out;
  std::size_t next_frame_at = 0;  // where a frame continuing the current stack would start
  for (std::size_t i = first; i + 1 < lines.size(); ++i) {
    if (location(lines[i]) || trim(lines[i]).empty()) continue;
    std::optional<frame> f = location(lines[i + 1]);
    if (!f) continue;
    f->function = std::string(trim(lines[i]));
    if (out.empty() || i != next_frame_at) out.emplace_back();
    out.back().push_back(std::move(*f));
    next_frame_at = i + 2;
    ++i;
  }
  return out;
}

// The frames shown: of a pair, the top program frame of each of the first two stacks (the top
// frame when a stack has none of the program's), in a fixed order; else the top program frames of
// the first stack that has any.
std::vector<frame> top_frames(const std::vector<std::vector<frame>>& all, bool pair) {
  std::vector<frame> out;
  if (pair) {
    for (std::size_t i = 0; i < all.size() && i < 2; ++i) {
      auto it = std::find_if(all[i].begin(), all[i].end(), is_program_frame);
      out.push_back(it != all[i].end() ? *it : all[i].front());
    }
    std::sort(out.begin(), out.end(), [](const frame& a, const frame& b) {
      return std::tie(a.file, a.line, a.function) < std::tie(b.file, b.line, b.function);
    });
    return out;
  }
  for (const std::vector<frame>& stack : all) {
    for (const frame& f : stack) {
      if (is_program_frame(f)) out.push_back(f);
      if (out.size() == kShownFrames) break;
    }
    if (!out.empty()) break;
  }
  return out;
}

// The headline with every number (goroutine ids, addresses, counts) made '#'.
std::string mask_numbers(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] >= '0' && text[i] <= '9') {
      if (text.substr(i).starts_with("0x")) i += 2;
      while (i < text.size() && std::isxdigit(static_cast<unsigned char>(text[i])) != 0) ++i;
      out += '#';
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string excerpt(const std::vector<std::string_view>& lines, std::size_t first) {
  std::string out;
  for (std::size_t i = first; i < lines.size() && i < first + kExcerptLines; ++i) {
    std::string_view line = lines[i];
    if (line.size() > kExcerptWidth) {
      out.append(line.substr(0, kExcerptWidth)).append("...");
    } else {
      out.append(line);
    }
    out += '\n';
  }
  return out;
}

std::string signal_name(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  return abbrev != nullptr ? "SIG" + std::string(abbrev) : "signal " + std::to_string(sig);
}

std::string signature(const verdict& v, bool pair, bool mask) {
  std::string s = v.kind;
  s += '\n';
  s += mask ? mask_numbers(v.headline) : v.headline;
  std::size_t frames = pair ? v.frames.size() : std::min<std::size_t>(v.frames.size(), 1);
  for (const frame& f : std::span(v.frames).first(frames)) {
    s += '\n';
    s.append(f.function).append(" ").append(f.file).append(":").append(std::to_string(f.line));
  }
  return s;
}

}  // namespace

std::optional<verdict> classify(const run_end& end, std::string_view output) {
  if (!end.timed_out && end.signal == 0 && end.exit_status == 0) return std::nullopt;
  std::vector<std::string_view> lines = split_lines(output);
  if (!lines.empty() && lines.back().empty()) lines.pop_back();

  verdict v;
  const report_kind* report = nullptr;
  std::size_t at = 0;
  for (; at < lines.size() && report == nullptr; ++at) {
    for (const report_kind& r : kReports) {
      if (lines[at].starts_with(r.prefix)) {
        report = &r;
        break;
      }
    }
  }
  if (report != nullptr) --at;

  if (end.timed_out) {
    v.kind = "timeout";
    v.headline = "timed out after " + format_duration(end.timeout);
    v.frames = top_frames(stacks(lines, 0), false);
  } else if (report != nullptr) {
    v.kind = std::string(report->kind);
    v.headline = std::string(trim(lines[at]));
    v.frames = top_frames(stacks(lines, at), is_pair_kind(report->kind));
  } else if (end.signal != 0) {
    v.kind = "signal";
    v.headline = "killed by signal " + signal_name(end.signal);
  } else {
    v.kind = "exit status";
    v.headline = "exit status " + std::to_string(end.exit_status);
  }
  // A report shows from its headline; anything else shows how the output ended.
  std::size_t from = report != nullptr && !end.timed_out
                         ? at
                         : lines.size() - std::min(lines.size(), kExcerptLines);
  v.excerpt = excerpt(lines, from);
  const bool from_report = report != nullptr && !end.timed_out;
  v.signature = signature(v, from_report && is_pair_kind(report->kind), from_report);
  return v;
}

std::string format_duration(std::chrono::nanoseconds d) {
  std::int64_t ns = d.count();
  char buf[64];
  if (ns < 1'000'000'000) {
    // Below a second: one unit with a fraction, its trailing zeros dropped.
    const char* unit = "ns";
    double value = static_cast<double>(ns);
    if (ns >= 1'000'000) {
      unit = "ms";
      value /= 1e6;
    } else if (ns >= 1'000) {
      unit = "\u00b5s";
      value /= 1e3;
    }
    std::snprintf(buf, sizeof buf, "%.6g%s", value, unit);
    return buf;
  }
  std::int64_t hours = ns / 3'600'000'000'000;
  std::int64_t minutes = ns / 60'000'000'000 % 60;
  std::int64_t seconds_ns = ns % 60'000'000'000;
  std::string out;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (hours > 0 || minutes > 0) out += std::to_string(minutes) + "m";
  std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(seconds_ns) / 1e9);
  out += buf;
  out += 's';
  return out;
}

}  // namespace goro::driver::stress
