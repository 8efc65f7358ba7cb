// The trace file (trace.hpp): every buffer's events in time order, replayed per goroutine into
// Chrome trace-event JSON ("X" complete events, timestamps in microseconds):
//   pid 1 "Ps": a track per P, a slice "G<id>" for each stretch a goroutine ran there;
//   pid 2 "Goroutines": a track per goroutine, named "G<id> <function> <file>:<line>" after its go
//     statement, its life in slices named by state: "running", "runnable", "blocking call", or the
//     wait reason it was blocked in ("chan receive", "sleep", ...), with cat "running", "runnable",
//     "syscall" or "blocked".
// The goroutine tracks' metadata also carry {"goid", "created_at"}: goro trace summary groups by
// it.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "debug/json_string.hpp"
#include "debug/symbolize.hpp"
#include "debug/traceback.hpp"
#include "sched/wait_reason.hpp"
#include "trace/trace.hpp"

namespace goro::trace {
namespace {

enum class state : std::uint8_t { none, runnable, running, blocked, syscall };

struct goroutine_track {
  state st = state::none;
  std::uint64_t since = 0;  // tsc
  std::uint64_t reason = 0;
  int p = -1;  // while running
  std::uint64_t create_pc = 0;
  bool named = false;
};

// An event decoded from its slots (trace.hpp).
struct event {
  std::uint64_t tsc;
  std::int64_t goid;
  ev kind;
  int p;  // the recording thread's P, -1 if it had none
  std::uint8_t arg;
  std::uintptr_t create_pc;  // create events only
};

// Appends the events of one buffer's slots to `out`. A create event whose second slot was not
// published yet (its thread was still recording when the program ended) is left out.
void decode(const slot* slots, std::uint32_t n, std::vector<event>& out) {
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint64_t bits = slots[i].bits;
    event e{slots[i].tsc,
            static_cast<std::int64_t>(bits & kGoidMask),
            static_cast<ev>((bits >> kKindShift) & 0xf),
            static_cast<int>((bits >> kPShift) & 0xfff) - 1,
            static_cast<std::uint8_t>(bits >> kArgShift),
            0};
    if (e.kind == ev::create) {
      if (i + 1 == n) break;
      e.create_pc = slots[++i].tsc;
    }
    out.push_back(e);
  }
}

class writer {
 public:
  writer() {
    const clock_pair start = start_clock();
    const clock_pair now = read_clock();
    start_tsc_ = start.tsc;
    const double ticks = static_cast<double>(now.tsc - start.tsc);
    ns_per_tick_ = ticks > 0 ? static_cast<double>(now.ns - start.ns) / ticks : 0.0;
    end_tsc_ = now.tsc;
  }

  std::string run() {
    std::vector<event> all;
    const std::uint64_t dropped =
        for_each_buffer([&](const slot* slots, std::uint32_t n) { decode(slots, n, all); });
    std::stable_sort(all.begin(), all.end(),
                     [](const event& x, const event& y) { return x.tsc < y.tsc; });
    out_ = "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"writer\":\"goro\",\"dropped_events\":" +
           std::to_string(dropped) + "},\"traceEvents\":[\n";
    metadata(1, 0, "process_name", "Ps");
    metadata(2, 0, "process_name", "Goroutines");
    for (const event& e : all) apply(e);
    for (auto& [goid, g] : tracks_) close(goid, g, end_tsc_);
    for (int p : ps_) metadata(1, p, "thread_name", "P" + std::to_string(p));
    for (auto& [goid, g] : tracks_) name_goroutine(goid, g);
    if (out_.size() >= 2 && out_[out_.size() - 2] == ',') out_.erase(out_.size() - 2, 1);
    out_ += "]}\n";
    return std::move(out_);
  }

 private:
  // Nanoseconds since the trace started (monotonic in tsc, so a slice's end is never before its
  // start).
  std::int64_t ns(std::uint64_t tsc) const {
    return std::llround(static_cast<double>(tsc - std::min(tsc, start_tsc_)) * ns_per_tick_);
  }

  void append_int(std::int64_t n) {
    char digits[24];
    out_.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
  }

  // Nanoseconds as microseconds to the nanosecond ("12.345"), without floating-point formatting:
  // a trace has millions of these, and printf's were most of the time it took to write one.
  void append_us(std::int64_t nanoseconds) {
    append_int(nanoseconds / 1000);
    const auto digit = [](std::int64_t d) { return static_cast<char>('0' + d % 10); };
    const char fraction[4] = {'.', digit(nanoseconds / 100), digit(nanoseconds / 10),
                              digit(nanoseconds)};
    out_.append(fraction, sizeof fraction);
  }

  void metadata(int pid, std::int64_t tid, const char* what, const std::string& name,
                const std::string& extra = "") {
    out_ += "{\"ph\":\"M\",\"pid\":" + std::to_string(pid) + ",\"tid\":" + std::to_string(tid) +
            ",\"name\":\"" + what + "\",\"args\":{\"name\":";
    debug::append_json_string(out_, name);
    out_ += extra + "}},\n";
  }

  void slice(int pid, std::int64_t tid, const std::string& name, const char* cat,
             std::uint64_t from, std::uint64_t to) {
    if (to < from) to = from;
    out_ += "{\"ph\":\"X\",\"pid\":";
    append_int(pid);
    out_ += ",\"tid\":";
    append_int(tid);
    out_ += ",\"name\":";
    debug::append_json_string(out_, name);
    out_ += ",\"cat\":\"";
    out_ += cat;
    out_ += "\",\"ts\":";
    const std::int64_t start = ns(from);
    append_us(start);
    out_ += ",\"dur\":";
    append_us(ns(to) - start);
    out_ += "},\n";
  }

  // Ends g's current state at `at`, writing its slice.
  void close(std::int64_t goid, goroutine_track& g, std::uint64_t at) {
    switch (g.st) {
      case state::none:
        break;
      case state::runnable:
        slice(2, goid, "runnable", "runnable", g.since, at);
        break;
      case state::running:
        slice(2, goid, "running", "running", g.since, at);
        if (g.p >= 0) slice(1, g.p, "G" + std::to_string(goid), "running", g.since, at);
        break;
      case state::blocked:
        slice(2, goid, sched::wait_reason_text(static_cast<sched::wait_reason>(g.reason)),
              "blocked", g.since, at);
        break;
      case state::syscall:
        slice(2, goid, "blocking call", "syscall", g.since, at);
        break;
    }
    g.st = state::none;
  }

  void become(std::int64_t goid, goroutine_track& g, state st, std::uint64_t at) {
    close(goid, g, at);
    g.st = st;
    g.since = at;
  }

  void apply(const event& e) {
    goroutine_track& g = tracks_[e.goid];
    switch (e.kind) {
      case ev::create:
        g.create_pc = e.create_pc;
        become(e.goid, g, state::runnable, e.tsc);
        break;
      case ev::start:
        become(e.goid, g, state::running, e.tsc);
        g.p = e.p;
        if (e.p >= 0 && std::find(ps_.begin(), ps_.end(), e.p) == ps_.end()) ps_.push_back(e.p);
        break;
      case ev::park:
        become(e.goid, g, state::blocked, e.tsc);
        g.reason = e.arg;
        break;
      case ev::yield:
      case ev::ready:
        become(e.goid, g, state::runnable, e.tsc);
        break;
      case ev::end:
        close(e.goid, g, e.tsc);
        break;
      case ev::blocking_call:
        become(e.goid, g, state::syscall, e.tsc);
        break;
      case ev::blocking_done:
        become(e.goid, g, state::running, e.tsc);
        g.p = e.p;
        break;
    }
  }

  void name_goroutine(std::int64_t goid, const goroutine_track& g) {
    std::string site;
    if (g.create_pc != 0) {
      const std::vector<const debug::frame*> frames = debug::visible_frames(&g.create_pc, 1);
      if (!frames.empty()) {
        const debug::frame& f = *frames.front();
        site = f.function + " " + (f.file.empty() ? "??" : f.file) + ":" + std::to_string(f.line);
      }
    }
    std::string extra = ",\"goid\":" + std::to_string(goid) + ",\"created_at\":";
    debug::append_json_string(extra, site);
    metadata(2, goid, "thread_name", "G" + std::to_string(goid) + (site.empty() ? "" : " " + site),
             extra);
  }

  std::uint64_t start_tsc_ = 0;
  std::uint64_t end_tsc_ = 0;
  double ns_per_tick_ = 0;
  std::unordered_map<std::int64_t, goroutine_track> tracks_;
  std::vector<int> ps_;
  std::string out_;
};

}  // namespace

bool write_trace(const char* path) {
  const std::string text = writer().run();
  std::FILE* f = std::fopen(path, "w");
  if (f == nullptr) return false;
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  return std::fclose(f) == 0 && ok;
}

}  // namespace goro::trace
