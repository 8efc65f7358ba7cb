// The race report in the runtime's text shape, rendered from the report's fields so --strip
// applies: plainly for junit, and for `goro report view` with colour and source snippets.
//
// The rendering is the detector's own (goro/race_report_text.hpp): this file maps a race_report
// onto it. Plain, the result is the report's "text" field with the file names stripped. View adds
// two things only: ANSI colour, on a terminal only, and after each access's top frame the source
// lines around it when the file can be read, the racing line marked with '>'.
//
// A partial deadlock is rendered here in the runtime's goroutine-dump shape, and a goro stress
// failure group in a shape of its own (stress_text below): neither goes through the detector's
// renderer.
#include <cstdio>
#include <string_view>

#include "goro/race_report_text.hpp"
#include "outputs.hpp"
#include "snippet.hpp"
#include "stress_groups.hpp"

namespace goro::driver::report {
namespace {

namespace rt = goro::report_text;

constexpr rt::palette kPlain{};
constexpr rt::palette kAnsi{"\x1b[1;31m", "\x1b[1m", "\x1b[36m", "\x1b[33m", "\x1b[0m"};
// A snippet's gutter, in colour: on the racing line ("> 39 |"), and on the lines around it.
constexpr std::string_view kAnsiMarker = "\x1b[1;31m";
constexpr std::string_view kAnsiContext = "\x1b[2m";

std::vector<rt::frame> frames_of(const std::vector<frame>& frames) {
  std::vector<rt::frame> out;
  out.reserve(frames.size());
  for (const frame& f : frames) out.push_back({f.function, f.file, f.line, f.offset, f.pc});
  return out;
}

rt::goroutine goroutine_of(const goroutine& g) {
  rt::goroutine out;
  out.id = static_cast<std::int64_t>(g.id);
  out.is_thread = g.is_thread;
  out.is_main = g.is_main;
  out.finished = g.finished;
  out.creation_known = g.created_at.has_value();
  if (g.created_at) out.created_at = frames_of(*g.created_at);
  return out;
}

rt::access access_of(const access& a) {
  rt::access out;
  out.write = a.is_write;
  out.atomic = a.atomic;
  out.address = a.address;
  out.by_known = a.by.has_value();
  if (a.by) out.by = goroutine_of(*a.by);
  out.restored = a.restored;
  out.stack = frames_of(a.stack);
  return out;
}

// Schema v1 has no field for a vptr race: one renders with the plain warning line here.
rt::report model_of(const race_report& r) {
  rt::report out;
  out.current = access_of(r.current);
  out.previous = access_of(r.previous);
  out.after_return = r.after_return;
  out.has_previous = !r.after_return || r.previous.by.has_value() || r.previous.restored;
  return out;
}

rt::lock_order_report lock_model_of(const race_report& r) {
  rt::lock_order_report out;
  for (const lock_edge& e : r.cycle) {
    rt::lock_edge& edge = out.cycle.emplace_back();
    edge.from = e.from;
    edge.to = e.to;
    edge.from_write = e.from_write;
    edge.to_write = e.to_write;
    edge.by_known = e.by.has_value();
    if (e.by) edge.by = goroutine_of(*e.by);
    edge.stack = frames_of(e.stack);
    edge.held_stack = frames_of(e.held_stack);
  }
  return out;
}

// After a frame's location line, the source around it:
//      /src/app/answer.cpp:39 +0x1a
//          38 |   int v = *p;
//        > 39 |   return v;
struct snippet_writer {
  source_files& sources;
  bool color;

  void operator()(std::string& out, const rt::frame& top) const {
    const std::vector<source_line> lines = sources.around(top.file, top.line);
    if (lines.empty()) return;
    const std::size_t width = std::to_string(lines.back().number).size();
    for (const source_line& l : lines) {
      const bool racing = l.number == top.line;
      const std::string number = std::to_string(l.number);
      out += "      ";
      if (color) out += racing ? kAnsiMarker : kAnsiContext;
      out += (racing ? "> " : "  ") + std::string(width - number.size(), ' ') + number + " |";
      if (color) out += kAnsi.reset;
      if (!l.text.empty()) out.append(" ").append(l.text);
      out += '\n';
    }
  }
};

void paint(std::string& out, std::string_view color, std::string_view text,
           const rt::palette& colors) {
  if (!color.empty()) out += color;
  out += text;
  if (!color.empty()) out += colors.reset;
}

// A frame in a goroutine dump's shape: the function, then "\tfile:line +0x…".
void append_dump_frame(std::string& out, const frame& f, const rt::palette& colors) {
  out += f.function + "\n\t";
  char offset[32];
  std::snprintf(offset, sizeof offset, " +0x%llx", static_cast<unsigned long long>(f.offset));
  const std::string where =
      f.function == "??" ? "??:0 pc=" + f.pc
                         : (f.file.empty() ? "??" : f.file) + ":" + std::to_string(f.line) + offset;
  paint(out, colors.location, where, colors);
  out += '\n';
}

// A partial deadlock in the runtime's shape (a goroutine dump of the cycle), from the fields. The
// JSON line names no parent goroutine, so a "created by" line names the creating function only.
std::string deadlock_text(const race_report& r, const rt::palette& colors) {
  std::string out;
  std::string ids;
  for (const deadlock_member& m : r.deadlock) {
    ids += (ids.empty() ? "" : ", ") + std::to_string(m.who.id);
  }
  const std::string head =
      r.fatal ? "fatal error: partial deadlock: goroutines " + ids + " wait for each other's locks"
              : "WARNING: partial deadlock: goroutines " + ids +
                    " wait for each other's locks and will never run again"
                    " (GORODEBUG=partialdeadlock=warn: the program goes on)";
  paint(out, colors.warning, head, colors);
  out += '\n';
  for (const deadlock_member& m : r.deadlock) {
    out += '\n';
    paint(out, colors.heading,
          "goroutine " + std::to_string(m.who.id) + " [" + m.state + "]:", colors);
    out += '\n';
    for (const std::string& line : m.says) out += "\t" + line + "\n";
    for (const frame& f : m.stack) append_dump_frame(out, f, colors);
    if (m.who.created_at && !m.who.created_at->empty()) {
      const frame& site = m.who.created_at->front();
      frame created = site;
      created.function = "created by " + site.function;
      append_dump_frame(out, created, colors);
    }
  }
  return out;
}

// A goro stress failure group (the JSON line carries no text of its own but the excerpt):
//
//   goro stress: data race: 35 of 1000 runs failed (first: seed 17)
//   WARNING: DATA RACE
//     deposit(int)
//         /src/bank.cpp:12
//   reproduce: GORODEBUG=schedseed=17 ./bank --accounts 2
//   output: /tmp/goro-stress-ab12/seed-17.log
//     | ==================
//     | WARNING: DATA RACE
//
// Frames as in a race report, without the offset the line does not have; `snippets` (view only)
// puts source lines after each frame that locates the group.
std::string stress_text(const stress_group& g, const rt::palette& colors,
                        const snippet_writer* snippets) {
  std::string out;
  std::string head =
      "goro stress: " + g.kind + ": " + failed_runs(g) + " (first: seed " + std::to_string(g.seed);
  if (g.pct > 0) head += ", pct=" + std::to_string(g.pct);
  paint(out, colors.heading, head + ")", colors);
  out += '\n';
  paint(out, colors.warning, g.headline, colors);
  out += '\n';
  const std::size_t located = located_frames(g).size();
  for (std::size_t i = 0; i < g.frames.size(); ++i) {
    const frame& f = g.frames[i];
    out += "  " + f.function + "\n      ";
    paint(out, colors.location, (f.file.empty() ? "??" : f.file) + ":" + std::to_string(f.line),
          colors);
    out += '\n';
    if (snippets != nullptr && i < located) {
      (*snippets)(out, {f.function, f.file, f.line, f.offset, f.pc});
    }
  }
  out += "reproduce: " + g.command + "\n";
  if (!g.output.empty()) out += "output: " + g.output + "\n";
  std::string_view excerpt = g.text;
  while (!excerpt.empty()) {
    const std::size_t end = excerpt.find('\n');
    const std::string_view line = excerpt.substr(0, end);
    out += line.empty() ? "  |\n" : "  | " + std::string(line) + "\n";
    excerpt.remove_prefix(end == std::string_view::npos ? excerpt.size() : end + 1);
  }
  return out;
}

}  // namespace

std::string render_text(const race_report& r) {
  switch (r.kind) {
    case report_kind::lock_order_inversion:
      return rt::plain_text(lock_model_of(r));
    case report_kind::partial_deadlock:
      return deadlock_text(r, kPlain);
    case report_kind::stress_failure:
      return stress_text(r.stress, kPlain, nullptr);
    case report_kind::data_race:
      break;
  }
  return rt::plain_text(model_of(r));
}

std::string render_view(const std::vector<race_report>& reports, const view_style& style) {
  source_files sources(style.stripped_prefix);
  const rt::palette& colors = style.color ? kAnsi : kPlain;
  std::string out;
  const snippet_writer snippets{sources, style.color};
  for (const race_report& r : reports) {
    if (r.kind == report_kind::partial_deadlock) {
      out += deadlock_text(r, colors);
      continue;
    }
    if (r.kind == report_kind::stress_failure) {
      out += stress_text(r.stress, colors, &snippets);
      continue;
    }
    rt::renderer renderer(colors, snippets);
    if (r.kind == report_kind::lock_order_inversion) {
      renderer.add(lock_model_of(r));
    } else {
      renderer.add(model_of(r));
    }
    out += renderer.take();
  }
  return out;
}

}  // namespace goro::driver::report
