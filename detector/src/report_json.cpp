// The race report as one JSON line (GORACE json_path), schema v1 of docs/report-format.md.
// Written by hand rather than with the JSON library the driver uses: this runs inside the
// program under test, on a system stack with the detector's hooks ignored, where a dependency
// that allocates through exceptions and iostreams is unwelcome; the writer is 80 lines.
#include "report_json.hpp"

#include <unistd.h>

#include <climits>
#include <cstdio>
#include <ctime>

#include "debug/json_string.hpp"

namespace goro::race {
namespace {

void json_frames(std::string& out, const std::vector<const debug::frame*>& frames) {
  out += '[';
  bool first = true;
  for (const debug::frame* f : frames) {
    if (!first) out += ',';
    first = false;
    out += "{\"function\":";
    debug::append_json_string(out, f->function);
    out += ",\"file\":";
    debug::append_json_string(out, stripped(f->file));
    out += ",\"line\":" + std::to_string(f->line) + ",\"offset\":" + std::to_string(f->offset) +
           ",\"pc\":";
    std::string pc;
    append_hex(pc, f->pc);
    debug::append_json_string(out, pc);
    out += '}';
  }
  out += ']';
}

void json_goroutine(std::string& out, const side& s) {
  if (s.known) {
    out += "{\"id\":" + std::to_string(s.goid) + ",\"name\":";
    debug::append_json_string(out, who(s));
    out += ",\"kind\":";
    debug::append_json_string(out, s.is_thread ? "thread" : "goroutine");
    out += ",\"main\":";
    out += s.is_main ? "true" : "false";
    out += ",\"state\":";
    debug::append_json_string(out, s.finished ? "finished" : "running");
    out += ",\"created_at\":";
    if (s.create_stack != 0 && !s.is_main) {
      json_frames(out, s.created_frames);
    } else {
      out += "null";
    }
    out += '}';
  } else {
    out += "null";
  }
}

void json_hex(std::string& out, std::uintptr_t v) {
  std::string text;
  append_hex(text, v, 12);
  debug::append_json_string(out, text);
}

void json_side(std::string& out, const side& s, bool restored) {
  out += "{\"op\":";
  debug::append_json_string(out, s.write ? "write" : "read");
  out += ",\"atomic\":";
  out += s.atomic ? "true" : "false";
  out += ",\"address\":";
  json_hex(out, s.addr);
  out += ",\"goroutine\":";
  json_goroutine(out, s);
  out += ",\"restored\":";
  out += restored ? "true" : "false";
  out += ",\"stack\":";
  json_frames(out, restored ? s.frames : std::vector<const debug::frame*>{});
  out += '}';
}

std::string program_path() {
  char buf[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("?");
}

// The fields every line starts with: version, type, time, pid, program.
std::string json_head(const char* type) {
  std::string out = "{\"version\":1,\"type\":";
  debug::append_json_string(out, type);
  out += ",\"time\":";
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  tm utc{};
  gmtime_r(&ts.tv_sec, &utc);
  char when[64];
  std::snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                ts.tv_nsec / 1000000);
  debug::append_json_string(out, when);
  out += ",\"pid\":" + std::to_string(getpid()) + ",\"program\":";
  debug::append_json_string(out, program_path());
  return out;
}

}  // namespace

std::string json_of(const job& j, const std::string& text) {
  std::string out = json_head("data_race");
  if (j.after_return) out += ",\"after_return\":true";
  out += ",\"current\":";
  json_side(out, j.cur, true);
  out += ",\"previous\":";
  json_side(out, j.prev, j.prev.restored);
  out += ",\"text\":";
  debug::append_json_string(out, text);
  out += "}\n";
  return out;
}

std::string json_of(const lock_order_job& j, const std::string& text) {
  std::string out = json_head("lock_order_inversion");
  out += ",\"cycle\":[";
  bool first = true;
  for (const lock_order_edge& e : j.edges) {
    if (!first) out += ',';
    first = false;
    out += "{\"from\":";
    json_hex(out, e.from);
    out += ",\"to\":";
    json_hex(out, e.to);
    out += ",\"from_op\":";
    debug::append_json_string(out, e.from_write ? "write" : "read");
    out += ",\"to_op\":";
    debug::append_json_string(out, e.to_write ? "write" : "read");
    out += ",\"goroutine\":";
    json_goroutine(out, e.who);
    out += ",\"stack\":";
    json_frames(out, e.who.frames);
    out += ",\"held_stack\":";
    json_frames(out, e.held_frames);
    out += '}';
  }
  out += "],\"text\":";
  debug::append_json_string(out, text);
  out += "}\n";
  return out;
}

std::string json_of(const deadlock_job& j, const std::string& text) {
  std::string out = json_head("partial_deadlock");
  out += ",\"fatal\":";
  out += j.fatal ? "true" : "false";
  out += ",\"goroutines\":[";
  bool first = true;
  for (const deadlock_entry& m : j.members) {
    if (!first) out += ',';
    first = false;
    out += "{\"goroutine\":";
    json_goroutine(out, m.who);
    out += ",\"state\":";
    debug::append_json_string(out, m.state);
    out += ",\"wants\":";
    json_hex(out, m.wanted);
    out += ",\"lock\":";
    debug::append_json_string(out, m.lock);
    out += ",\"mode\":";
    debug::append_json_string(out, m.mode);
    out += ",\"waits_for\":" + std::to_string(m.waits_for) + ",\"says\":[";
    debug::append_json_string(out, m.wants);
    out += ',';
    debug::append_json_string(out, m.holds);
    out += "],\"stack\":";
    json_frames(out, m.who.frames);
    out += '}';
  }
  out += "],\"text\":";
  debug::append_json_string(out, text);
  out += "}\n";
  return out;
}

}  // namespace goro::race
