// The race report's text, Go's shape (SPEC.md; docs/report-format.md, "Text"), in the words
// `goro report` shares (goro/race_report_words.hpp).
#include "report_text.hpp"

#include <cstdio>
#include <cstring>

#include "goro/race_report_words.hpp"
#include "options.hpp"

namespace goro::race {

namespace words = goro::report_words;

void append_hex(std::string& out, std::uintptr_t v, int width) {
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

std::string who(const side& s) {
  if (!s.known) return std::string(words::kUnknownGoroutine);
  return words::goroutine_name(s.is_thread, s.is_main, s.goid);
}

namespace {

void append_stack(std::string& out, const std::vector<const debug::frame*>& frames, bool known) {
  if (!known || frames.empty()) {
    out += "  ";
    out += words::kNoStack;
    out += '\n';
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
  out += words::creation_heading(s.is_thread, s.goid, s.finished);
  out += '\n';
  append_stack(out, s.created_frames, s.create_stack != 0);
}

}  // namespace

std::string text_of(const job& j) {
  std::string out(words::kSeparator);
  out += j.vptr ? words::kWarningVptr : words::kWarning;
  out += '\n';
  out += words::access_name(false, j.cur.atomic, j.cur.write) + " at ";
  append_hex(out, j.cur.addr, 12);
  out += " by " + who(j.cur) + ":\n";
  append_stack(out, j.cur.frames, true);
  out += '\n';
  out += words::access_name(true, j.prev.atomic, j.prev.write) + " at ";
  append_hex(out, j.prev.addr, 12);
  out += " by " + who(j.prev) + ":\n";
  append_stack(out, j.prev.frames, j.prev.restored);
  if (creation_block_wanted(j.cur)) append_creation(out, j.cur);
  const bool same =
      j.prev.known && j.prev.goid == j.cur.goid && j.prev.is_thread == j.cur.is_thread;
  if (creation_block_wanted(j.prev) && !same) append_creation(out, j.prev);
  out += words::kSeparator;
  return out;
}

}  // namespace goro::race
