// The text of a race report (and of a lock-order inversion report), Go's shape (SPEC.md;
// docs/report-format.md, "Text"), rendered by one function for both of its writers: the detector,
// which prints it as the race happens (detector/src/report_text.cpp), and `goro report`, which
// renders it again from the JSON lines (driver/report/text.cpp), there with colour and source
// lines. Each fills a `report` from what it holds; the words, the layout and the rules (which
// creation blocks appear) live here alone, so the two cannot drift apart. Not installed:
// header-only, for this project's own targets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace goro::report_text {

struct frame {
  std::string function;  // demangled; "??" when unknown
  std::string file;      // as it is to be shown (prefix already stripped); "" when unknown
  std::uint64_t line = 0;
  std::uint64_t offset = 0;  // bytes from the start of the function
  std::string pc;            // "0x…": shown instead of a location when the function is unknown
};

// Who made an access.
struct goroutine {
  std::int64_t id = 0;  // for a plain thread, N in "TN"
  bool is_thread = false;
  bool is_main = false;
  bool finished = false;
  bool creation_known = false;  // false: its creation stack could not be recovered
  std::vector<frame> created_at;
};

struct access {
  bool write = false;
  bool atomic = false;
  std::string address;  // "0x…", as shown
  bool by_known = false;
  goroutine by;
  bool restored = true;  // false: the stack could not be recovered and is empty
  std::vector<frame> stack;
};

struct report {
  bool vptr = false;  // the current access was of a vtable pointer
  // A stack use after return: `current` reached a variable of a frame that has returned;
  // `previous`, if has_previous, is the frame's last access to it.
  bool after_return = false;
  bool has_previous = true;
  access current;
  access previous;
};

// A lock-order inversion: a cycle of edges "`to` taken while holding `from`"; edge i's `to` is
// edge i+1's `from`, the last edge's `to` the first's `from`. Locks are named M1, M2, ... in the
// order the cycle visits them.
struct lock_edge {
  std::string from;  // "0x…", as shown
  std::string to;
  bool from_write = true;  // false: `from` was held for reading
  bool to_write = true;    // false: `to` was taken for reading
  bool by_known = false;
  goroutine by;
  std::vector<frame> stack;       // where `to` was taken
  std::vector<frame> held_stack;  // where `from` had been taken
};

struct lock_order_report {
  std::vector<lock_edge> cycle;
};

// ANSI SGR sequences for each part of a report; all empty (the default) for plain text.
struct palette {
  std::string_view warning;   // "WARNING: DATA RACE"
  std::string_view heading;   // "Read at … by goroutine 3:", "Goroutine 3 (running) created at:"
  std::string_view location;  // "file:line +0x…"
  std::string_view missing;   // "[failed to restore the stack]"
  std::string_view reset;     // after each painted part
};

// "Read", "Atomic write", "Previous read", "Previous atomic write", ...
inline std::string access_name(bool previous, bool atomic, bool write) {
  std::string name = previous ? "Previous " : "";
  if (atomic) name += previous ? "atomic " : "Atomic ";
  if (previous || atomic) return name + (write ? "write" : "read");
  return name + (write ? "Write" : "Read");
}

// "goroutine 7", "main goroutine", "thread T3", "main thread".
inline std::string goroutine_name(bool is_thread, bool is_main, std::int64_t id) {
  if (is_thread) return is_main ? "main thread" : "thread T" + std::to_string(id);
  return is_main ? "main goroutine" : "goroutine " + std::to_string(id);
}

// Renders reports into one string. `after_top_frame(out, frame)` is called right after the
// location line of each access's innermost frame (not of creation stacks), to append to `out`:
// `goro report view` puts source lines there.
template <class AfterTopFrame>
class renderer {
 public:
  renderer(const palette& colors, AfterTopFrame after_top_frame)
      : colors_(colors), after_top_frame_(std::move(after_top_frame)) {}

  void add(const report& r) {
    out_ += kSeparator;
    if (r.after_return) {
      line(colors_.warning, "WARNING: stack use after return");
    } else {
      line(colors_.warning, r.vptr ? "WARNING: DATA RACE on vptr (ctor/dtor vs virtual call)"
                                   : "WARNING: DATA RACE");
    }
    add_access(r.current, false);
    if (r.has_previous) {
      out_ += '\n';
      add_access(r.previous, true);
    }
    // As Go: the main goroutine has no creation block, and a goroutine gets one block only.
    const access& cur = r.current;
    const access& prev = r.previous;
    if (creation_shown(cur)) add_creation(cur.by);
    const bool same = cur.by_known && prev.by_known && cur.by.id == prev.by.id &&
                      cur.by.is_thread == prev.by.is_thread;
    if (r.has_previous && creation_shown(prev) && !same) add_creation(prev.by);
    out_ += kSeparator;
  }

  void add(const lock_order_report& r) {
    out_ += kSeparator;
    line(colors_.warning, "WARNING: lock-order inversion (potential deadlock)");
    std::string summary = "Cycle in lock order graph: ";
    for (std::size_t i = 0; i < r.cycle.size(); ++i) {
      summary += mutex_name(i) + " (" + r.cycle[i].from + ") => ";
    }
    line(colors_.heading, summary + mutex_name(0));
    for (std::size_t i = 0; i < r.cycle.size(); ++i) {
      const lock_edge& e = r.cycle[i];
      const std::string who = e.by_known ? goroutine_name(e.by.is_thread, e.by.is_main, e.by.id)
                                         : std::string("unknown goroutine");
      const std::string to = mutex_name((i + 1) % r.cycle.size());
      const std::string from = mutex_name(i);
      out_ += '\n';
      std::string taken = "Mutex " + to;
      taken += e.to_write ? " acquired" : " read-acquired";
      taken.append(" here while holding mutex ").append(from);
      taken += e.from_write ? "" : " for reading";
      taken.append(" in ").append(who).append(":");
      line(colors_.heading, taken);
      add_stack(e.stack, true, true);
      out_ += '\n';
      std::string held = "Mutex " + from;
      held += e.from_write ? " previously acquired" : " previously read-acquired";
      held.append(" by the same ").append(e.by.is_thread ? "thread" : "goroutine").append(" here:");
      line(colors_.heading, held);
      add_stack(e.held_stack, true, true);
    }
    // One creation block per goroutine, in the order the cycle names them; none for the main one.
    for (std::size_t i = 0; i < r.cycle.size(); ++i) {
      const lock_edge& e = r.cycle[i];
      if (!e.by_known || e.by.is_main) continue;
      bool shown = false;
      for (std::size_t j = 0; j < i; ++j) {
        const lock_edge& o = r.cycle[j];
        shown = shown || (o.by_known && o.by.id == e.by.id && o.by.is_thread == e.by.is_thread);
      }
      if (!shown) add_creation(e.by);
    }
    out_ += kSeparator;
  }

  std::string take() { return std::move(out_); }

 private:
  static constexpr std::string_view kSeparator = "==================\n";

  static std::string mutex_name(std::size_t i) { return "M" + std::to_string(i + 1); }

  static bool creation_shown(const access& a) { return a.by_known && !a.by.is_main; }

  void paint(std::string_view color, std::string_view text) {
    if (color.empty()) {
      out_ += text;
      return;
    }
    out_.append(color).append(text).append(colors_.reset);
  }

  void line(std::string_view color, std::string_view text) {
    paint(color, text);
    out_ += '\n';
  }

  void add_stack(const std::vector<frame>& frames, bool restored, bool is_access) {
    if (!restored || frames.empty()) {
      out_ += "  ";
      line(colors_.missing, "[failed to restore the stack]");
      return;
    }
    for (const frame& f : frames) {
      out_.append("  ").append(f.function).append("\n      ");
      if (f.function == "??") {
        line(colors_.location, "??:0 pc=" + f.pc);
      } else {
        line(colors_.location, (f.file.empty() ? "??" : f.file) + ":" + std::to_string(f.line) +
                                   " +" + hex(f.offset));
      }
      if (is_access && &f == &frames.front()) after_top_frame_(out_, f);
    }
  }

  void add_access(const access& a, bool previous) {
    const std::string who = a.by_known ? goroutine_name(a.by.is_thread, a.by.is_main, a.by.id)
                                       : std::string("unknown goroutine");
    line(colors_.heading,
         access_name(previous, a.atomic, a.write) + " at " + a.address + " by " + who + ":");
    add_stack(a.stack, a.restored, true);
  }

  void add_creation(const goroutine& g) {
    out_ += '\n';
    line(colors_.heading, (g.is_thread ? "Thread T" : "Goroutine ") + std::to_string(g.id) +
                              (g.finished ? " (finished)" : " (running)") + " created at:");
    add_stack(g.created_at, g.creation_known, false);
  }

  static std::string hex(std::uint64_t v) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string digits;
    do {
      digits.insert(digits.begin(), kDigits[v & 0xf]);
      v >>= 4;
    } while (v != 0);
    return "0x" + digits;
  }

  const palette& colors_;
  AfterTopFrame after_top_frame_;
  std::string out_;
};

// The plain text of one report.
template <class Report>
std::string plain_text(const Report& r) {
  static constexpr palette kPlain{};
  renderer rendered(kPlain, [](std::string&, const frame&) {});
  rendered.add(r);
  return rendered.take();
}

}  // namespace goro::report_text
