// --filter and --strip: choosing reports and shortening file names.
#include "select.hpp"

#include <algorithm>

namespace goro::driver::report {
namespace {

bool mentions(const access& a, std::string_view pattern) {
  return std::any_of(a.stack.begin(), a.stack.end(), [&](const frame& f) {
    return f.function.find(pattern) != std::string::npos ||
           f.file.find(pattern) != std::string::npos;
  });
}

bool mentions(const std::vector<frame>& stack, std::string_view pattern) {
  return std::any_of(stack.begin(), stack.end(), [&](const frame& f) {
    return f.function.find(pattern) != std::string::npos ||
           f.file.find(pattern) != std::string::npos;
  });
}

bool matches_any(const race_report& r, const std::vector<std::string>& patterns) {
  return std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) {
    if (mentions(r.current, p) || mentions(r.previous, p)) return true;
    return std::any_of(r.cycle.begin(), r.cycle.end(),
                       [&](const lock_edge& e) {
                         return mentions(e.stack, p) || mentions(e.held_stack, p);
                       }) ||
           std::any_of(r.deadlock.begin(), r.deadlock.end(),
                       [&](const deadlock_member& m) { return mentions(m.stack, p); }) ||
           mentions(r.stress.frames, p);
  });
}

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

void strip_frames(std::vector<frame>& frames, std::string_view prefix) {
  for (frame& f : frames) {
    if (f.file.starts_with(prefix) &&
        !(f.file.size() > prefix.size() && is_utf8_continuation(f.file[prefix.size()]))) {
      f.file.erase(0, prefix.size());
    }
  }
}

void strip_access(access& a, std::string_view prefix) {
  strip_frames(a.stack, prefix);
  if (a.by && a.by->created_at) strip_frames(*a.by->created_at, prefix);
}

}  // namespace

void keep_matching(std::vector<race_report>& reports, const std::vector<std::string>& patterns) {
  if (patterns.empty()) return;
  std::erase_if(reports, [&](const race_report& r) { return !matches_any(r, patterns); });
}

void strip_file_prefix(std::vector<race_report>& reports, std::string_view prefix) {
  if (prefix.empty()) return;
  for (race_report& r : reports) {
    strip_access(r.current, prefix);
    strip_access(r.previous, prefix);
    for (lock_edge& e : r.cycle) {
      strip_frames(e.stack, prefix);
      strip_frames(e.held_stack, prefix);
      if (e.by && e.by->created_at) strip_frames(*e.by->created_at, prefix);
    }
    for (deadlock_member& m : r.deadlock) {
      strip_frames(m.stack, prefix);
      if (m.who.created_at) strip_frames(*m.who.created_at, prefix);
    }
    strip_frames(r.stress.frames, prefix);
  }
}

}  // namespace goro::driver::report
