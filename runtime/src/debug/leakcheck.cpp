// The leak check (see leakcheck.hpp). Go's uber-go/goleak lists the goroutines a test left behind;
// Go 1.26's goroutineleak profile also proves, through the garbage collector's reachability, which
// of them can never be woken. Without a collector, the proof here is narrower and exact about what
// it covers. A goroutine is "leaked" (blocked for ever) when
//   - it waits on a nil channel, or in a select with no cases: nothing can wake it; or
//   - it waits in a single send or receive on a channel whose every handle (the channel's count of
//     them) lies in the go-statement closure of a goroutine waiting on that same channel: a handle
//     captured by value, `go([ch] { ch.send(1); })`, with no other copy left anywhere. Only those
//     goroutines could ever operate on the channel, and each is stuck in its operation.
// Everything else still alive is "still blocked" (or "still running"), as goleak would report it:
// a handle held by main, by a global, on some goroutine's stack or in a heap object may yet be
// used. The closures looked at are the inline ones (up to 64 bytes, most lambdas); a goroutine
// whose closure is on the heap is never proved leaked.
//
// The check is a snapshot taken while other goroutines may run: a goroutine counted as waiting may
// be woken meanwhile. Each proof re-reads the goroutine's state after reading the channel's handle
// count and drops the proof if it changed.
#include "debug/leakcheck.hpp"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "chan/chan.hpp"
#include "debug/dump.hpp"
#include "debug/fatal.hpp"
#include "debug/symbolize.hpp"
#include "debug/traceback.hpp"
#include "sched/sched.hpp"

namespace goro::debug {
namespace {

enum class verdict : std::uint8_t { leaked, blocked, running };

struct seen_g {
  sched::G* g;
  sched::g_status status;
  sched::wait_reason reason;
  const void* chan;
  verdict v = verdict::blocked;
  const char* why = nullptr;
};

// Handles of channel c stored in g's inline closure (a captured chan<T> is one word: its core).
int closure_handles(const sched::G* g, const void* c) {
  if (g->arg != g->closure_storage) return 0;
  int n = 0;
  for (std::size_t off = 0; off + sizeof(void*) <= sizeof g->closure_storage;
       off += sizeof(void*)) {
    const void* word;
    std::memcpy(&word, g->closure_storage + off, sizeof word);
    if (word == c) ++n;
  }
  return n;
}

bool still_waiting_on(const seen_g& s) {
  // acquire: pairs with park's release of the status, as a dump's read does.
  return s.g->status.load(std::memory_order_acquire) == sched::g_status::waiting &&
         s.g->blocked_chan == s.chan;
}

void prove_channel_leaks(std::vector<seen_g>& gs) {
  std::map<const void*, std::vector<seen_g*>> by_chan;
  for (seen_g& s : gs) {
    if (s.status != sched::g_status::waiting) continue;
    switch (s.reason) {
      case sched::wait_reason::chan_receive_nil:
      case sched::wait_reason::chan_send_nil:
        s.v = verdict::leaked;
        s.why = "it waits on a nil channel";
        continue;
      case sched::wait_reason::select_no_cases:
        s.v = verdict::leaked;
        s.why = "it waits in a select with no cases";
        continue;
      default:
        break;
    }
    if (s.chan != nullptr) by_chan[s.chan].push_back(&s);
  }
  for (auto& [c, waiters] : by_chan) {
    std::size_t held = 0;
    for (const seen_g* s : waiters) held += static_cast<std::size_t>(closure_handles(s->g, c));
    // The channel is alive: its waiters are parked inside operations made through a handle.
    if (held == 0 || held != channel::handle_count(c)) continue;
    bool unchanged = true;
    for (const seen_g* s : waiters) unchanged = unchanged && still_waiting_on(*s);
    if (!unchanged) continue;
    for (seen_g* s : waiters) {
      s->v = verdict::leaked;
      s->why = "every handle of its channel is held by goroutines blocked on it";
    }
  }
}

// Where g was created: "file:line" of the go statement (the user's frame), or "the main goroutine".
std::string creation_site(const sched::G* g) {
  if (g->is_main || g->create_pc == 0) return "the start of the program (main goroutine)";
  const auto& frames = symbolize_inlined(g->create_pc);
  const frame* chosen = &frames.back();
  for (const frame& f : frames) {
    if (!is_runtime_frame(f.function)) {
      chosen = &f;
      break;
    }
  }
  if (chosen->file.empty()) return chosen->function;
  return chosen->file + ":" + std::to_string(chosen->line) + " (" + chosen->function + ")";
}

const char* state_text(const seen_g& s) {
  switch (s.status) {
    case sched::g_status::waiting:
      return sched::wait_reason_text(s.reason);
    case sched::g_status::syscall:
      return "syscall";
    case sched::g_status::running:
      return "running";
    default:
      return "runnable";
  }
}

const char* verdict_text(verdict v) {
  switch (v) {
    case verdict::leaked:
      return "leaked";
    case verdict::blocked:
      return "still blocked";
    case verdict::running:
      return "still running";
  }
  return "";
}

}  // namespace

int leak_report(sched::G* self) {
  std::vector<seen_g> gs;
  sched::for_each_g([&](sched::G* g) {
    if (g == self) return;
    // acquire: as in still_waiting_on.
    const sched::g_status st = g->status.load(std::memory_order_acquire);
    seen_g s{g, st, g->reason, g->blocked_chan};
    if (st != sched::g_status::waiting) s.v = verdict::running;
    gs.push_back(s);
  });
  if (gs.empty()) return 0;
  prove_channel_leaks(gs);

  // Groups: verdict, then creation site, then state; one example goroutine each.
  using key = std::tuple<verdict, std::string, std::string>;
  struct group {
    int count = 0;
    const seen_g* example = nullptr;
  };
  std::map<key, group> groups;
  int counts[3] = {0, 0, 0};
  for (const seen_g& s : gs) {
    group& gr = groups[{s.v, creation_site(s.g), state_text(s)}];
    if (gr.count++ == 0) gr.example = &s;
    ++counts[static_cast<int>(s.v)];
  }

  char line[256];
  std::snprintf(line, sizeof line,
                "leak check: %zu goroutine%s left: %d leaked, %d still blocked, %d still running\n",
                gs.size(), gs.size() == 1 ? "" : "s", counts[0], counts[1], counts[2]);
  std::string out = line;
  for (const auto& [k, gr] : groups) {
    const auto& [v, site, state] = k;
    std::snprintf(line, sizeof line, "\n%d goroutine%s %s [%s], created at %s\n", gr.count,
                  gr.count == 1 ? "" : "s", verdict_text(v), state.c_str(), site.c_str());
    out += line;
    if (gr.example->why != nullptr) {
      out += "\tblocked for ever: ";
      out += gr.example->why;
      out += '\n';
    }
    append_goroutine(out, gr.example->g, nullptr, 0);
  }
  flush_stdio_best_effort();
  write_stderr(out);
  return static_cast<int>(gs.size());
}

}  // namespace goro::debug
