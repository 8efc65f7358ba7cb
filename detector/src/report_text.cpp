// The race report's text (and the lock-order inversion's) as the detector prints it: a job's two
// sides handed to the renderer `goro report` shares (goro/race_report_text.hpp), file names
// stripped of GORACE's strip_path_prefix.
#include "report_text.hpp"

#include <cstdio>
#include <cstring>

#include "goro/race_report_text.hpp"
#include "options.hpp"

namespace goro::race {

namespace rt = goro::report_text;

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
  if (!s.known) return "unknown goroutine";
  return rt::goroutine_name(s.is_thread, s.is_main, s.goid);
}

namespace {

std::vector<rt::frame> frames_of(const std::vector<const debug::frame*>& frames) {
  std::vector<rt::frame> out;
  out.reserve(frames.size());
  for (const debug::frame* f : frames) {
    rt::frame& r = out.emplace_back();
    r.function = f->function;
    r.file = stripped(f->file);
    r.line = static_cast<std::uint64_t>(f->line);
    r.offset = f->offset;
    append_hex(r.pc, f->pc);
  }
  return out;
}

rt::goroutine goroutine_of(const side& s);

rt::access access_of(const side& s, bool restored) {
  rt::access a;
  a.write = s.write;
  a.atomic = s.atomic;
  append_hex(a.address, s.addr, 12);
  a.by_known = s.known;
  a.by = goroutine_of(s);
  a.restored = restored;
  a.stack = frames_of(s.frames);
  return a;
}

rt::goroutine goroutine_of(const side& s) {
  rt::goroutine g;
  g.id = s.goid;
  g.is_thread = s.is_thread;
  g.is_main = s.is_main;
  g.finished = s.finished;
  g.creation_known = s.create_stack != 0;
  g.created_at = frames_of(s.created_frames);
  return g;
}

}  // namespace

std::string text_of(const lock_order_job& j) {
  rt::lock_order_report r;
  for (const lock_order_edge& e : j.edges) {
    rt::lock_edge& out = r.cycle.emplace_back();
    append_hex(out.from, e.from, 12);
    append_hex(out.to, e.to, 12);
    out.from_write = e.from_write;
    out.to_write = e.to_write;
    out.by_known = e.who.known;
    out.by = goroutine_of(e.who);
    out.stack = frames_of(e.who.frames);
    out.held_stack = frames_of(e.held_frames);
  }
  return rt::plain_text(r);
}

std::string text_of(const job& j) {
  rt::report r;
  r.vptr = j.vptr;
  r.after_return = j.after_return;
  r.has_previous = j.has_previous;
  r.current = access_of(j.cur, true);
  r.previous = access_of(j.prev, j.prev.restored);
  return rt::plain_text(r);
}

}  // namespace goro::race
