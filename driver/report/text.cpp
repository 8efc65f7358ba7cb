// The race report in the runtime's text shape, rendered from the report's fields so --strip
// applies: plainly for junit, and for `goro report view` with colour and source snippets.
//
// The shape is detector/src/report_text.cpp's (docs/report-format.md, "Text"), in the words both
// share (goro/race_report_words.hpp); plain, the result is
// the report's "text" field with the file names stripped. View adds two things only: ANSI colour,
// on a terminal only, and after each access's top frame the source lines around it when the file
// can be read, the racing line marked with '>'.
#include <charconv>
#include <iterator>
#include <string_view>

#include "goro/race_report_words.hpp"
#include "outputs.hpp"
#include "snippet.hpp"

namespace goro::driver::report {
namespace {

namespace words = goro::report_words;

// ANSI SGR sequences for each part of a report; all empty when colour is off.
struct palette {
  std::string_view warning;   // "WARNING: DATA RACE"
  std::string_view heading;   // "Read at … by goroutine 3:", "Goroutine 3 (running) created at:"
  std::string_view location;  // "file:line +0x…"
  std::string_view missing;   // "[failed to restore the stack]"
  std::string_view marker;    // a snippet's gutter ("> 39 |") on the racing line
  std::string_view context;   // its gutter on the lines around it
  std::string_view reset;
};
constexpr palette kPlain{};
constexpr palette kAnsi{"\x1b[1;31m", "\x1b[1m", "\x1b[36m", "\x1b[33m",
                        "\x1b[1;31m", "\x1b[2m", "\x1b[0m"};

std::string hex(std::uint64_t v) {
  char digits[16];
  char* end = std::to_chars(std::begin(digits), std::end(digits), v, 16).ptr;
  return "0x" + std::string(digits, end);
}

bool same_goroutine(const goroutine& a, const goroutine& b) {
  return a.id == b.id && a.is_thread == b.is_thread;
}

class text_renderer {
 public:
  // `sources` may be null: no snippets.
  text_renderer(const palette& colors, source_files* sources)
      : colors_(colors), sources_(sources) {}

  void add(const race_report& r) {
    out_ += words::kSeparator;
    line(colors_.warning, words::kWarning);
    add_access(r.current, false);
    out_ += '\n';
    add_access(r.previous, true);
    // As in Go: the main goroutine has no creation block, and one goroutine gets one block.
    const auto& current = r.current.by;
    const auto& previous = r.previous.by;
    if (current && !current->is_main) add_creation(*current);
    if (previous && !previous->is_main && !(current && same_goroutine(*current, *previous))) {
      add_creation(*previous);
    }
    out_ += words::kSeparator;
  }

  std::string take() { return std::move(out_); }

 private:
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

  // `show_source`: the top frame is followed by its source lines, when there are sources.
  void add_stack(const std::vector<frame>& frames, bool restored, bool show_source) {
    if (!restored || frames.empty()) {
      out_ += "  ";
      line(colors_.missing, words::kNoStack);
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
      if (show_source && sources_ != nullptr && &f == &frames.front()) add_snippet(f);
    }
  }

  void add_access(const access& a, bool previous) {
    const std::string who = a.by ? a.by->name : std::string(words::kUnknownGoroutine);
    line(colors_.heading, words::access_name(previous, a.atomic, a.is_write) + " at " + a.address +
                              " by " + who + ":");
    add_stack(a.stack, a.restored, true);
  }

  void add_creation(const goroutine& g) {
    out_ += '\n';
    line(colors_.heading,
         words::creation_heading(g.is_thread, static_cast<std::int64_t>(g.id), g.finished));
    if (g.created_at) {
      add_stack(*g.created_at, true, false);
    } else {
      add_stack({}, false, false);
    }
  }

  //      /src/app/answer.cpp:39 +0x1a      (the frame's location line, then:)
  //          38 |   int v = *p;
  //        > 39 |   return v;
  void add_snippet(const frame& top) {
    const std::vector<source_line> lines = sources_->around(top.file, top.line);
    if (lines.empty()) return;
    const std::size_t width = std::to_string(lines.back().number).size();
    for (const source_line& l : lines) {
      const bool racing = l.number == top.line;
      const std::string number = std::to_string(l.number);
      out_ += "      ";
      paint(racing ? colors_.marker : colors_.context,
            (racing ? "> " : "  ") + std::string(width - number.size(), ' ') + number + " |");
      if (!l.text.empty()) out_.append(" ").append(l.text);
      out_ += '\n';
    }
  }

  const palette& colors_;
  source_files* sources_;
  std::string out_;
};

}  // namespace

std::string render_text(const race_report& r) {
  text_renderer renderer(kPlain, nullptr);
  renderer.add(r);
  return renderer.take();
}

std::string render_view(const std::vector<race_report>& reports, const view_style& style) {
  source_files sources(style.stripped_prefix);
  text_renderer renderer(style.color ? kAnsi : kPlain, &sources);
  for (const race_report& r : reports) renderer.add(r);
  return renderer.take();
}

}  // namespace goro::driver::report
