// goro trace summary FILE: what the goroutines of a GORODEBUG=trace=FILE run did with their time,
// per creation site, as `go tool trace`'s goroutine analysis shows it: how many goroutines, their
// time running, runnable (waiting for a P), in blocking calls, and blocked, by wait reason.
//
// The file is the runtime's Chrome trace-event JSON (runtime/src/trace/writer.cpp): the goroutine
// tracks (pid 2) name their creation site in their thread_name metadata, and each "X" slice on a
// goroutine track is one stretch in one state (cat running, runnable, syscall or blocked; the
// name of a blocked slice is its wait reason).
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "command.hpp"
#include "help.hpp"

namespace goro::driver {
namespace {

using json = nlohmann::json;

struct site_totals {
  std::size_t goroutines = 0;
  double running = 0, runnable = 0, syscall = 0, blocked = 0;  // microseconds
  std::map<std::string, double> blocked_by;                    // wait reason -> microseconds
};

[[noreturn]] void not_a_trace(const std::string& file, const std::string& why) {
  throw failure(1, "goro trace summary: " + file + ": not a goro trace: " + why);
}

json read_trace(const std::string& file) {
  std::ifstream in(file);
  if (!in) {
    throw failure(1, "goro trace summary: " + file + ": " + std::strerror(errno));
  }
  std::stringstream text;
  text << in.rdbuf();
  json doc = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) not_a_trace(file, "invalid or truncated JSON");
  if (!doc.is_object() || !doc.contains("traceEvents") || !doc["traceEvents"].is_array()) {
    not_a_trace(file, "no traceEvents array");
  }
  return doc;
}

std::string ms(double us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", us / 1000.0);
  return buf;
}

int summarize(const std::string& file) {
  const json doc = read_trace(file);
  std::map<std::int64_t, std::string> site_of;  // goid -> creation site
  std::map<std::int64_t, site_totals> per_goroutine;
  std::size_t index = 0;
  for (const json& e : doc["traceEvents"]) {
    const std::string where = "traceEvents[" + std::to_string(index++) + "]";
    if (!e.is_object() || !e.contains("ph") || !e["ph"].is_string()) {
      not_a_trace(file, where + ": an event without \"ph\"");
    }
    if (e.value("pid", 0) != 2) continue;  // the goroutine tracks
    const std::string ph = e["ph"];
    const auto goid = e.value<std::int64_t>("tid", 0);
    if (ph == "M" && e.value("name", "") == "thread_name") {
      const json& args = e.value("args", json::object());
      site_of[goid] = args.value("created_at", "");
      per_goroutine[goid];
    } else if (ph == "X") {
      if (!e.contains("dur") || !e["dur"].is_number() || !e.contains("cat")) {
        not_a_trace(file, where + ": a slice without \"dur\" or \"cat\"");
      }
      const double dur = e["dur"];
      const std::string cat = e["cat"];
      site_totals& g = per_goroutine[goid];
      if (cat == "running") {
        g.running += dur;
      } else if (cat == "runnable") {
        g.runnable += dur;
      } else if (cat == "syscall") {
        g.syscall += dur;
      } else if (cat == "blocked") {
        g.blocked += dur;
        g.blocked_by[e.value("name", "?")] += dur;
      }
    }
  }
  std::map<std::string, site_totals> sites;
  for (const auto& [goid, g] : per_goroutine) {
    std::string site = site_of[goid];
    if (site.empty()) site = goid == 1 ? "(main goroutine)" : "(unknown)";
    site_totals& s = sites[site];
    ++s.goroutines;
    s.running += g.running;
    s.runnable += g.runnable;
    s.syscall += g.syscall;
    s.blocked += g.blocked;
    for (const auto& [reason, us] : g.blocked_by) s.blocked_by[reason] += us;
  }
  // Busiest sites first: by running time.
  std::vector<std::pair<std::string, site_totals>> order(sites.begin(), sites.end());
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return a.second.running > b.second.running;
  });
  std::printf("%zu goroutines from %zu creation sites (times in ms, summed over the goroutines)\n",
              per_goroutine.size(), sites.size());
  for (const auto& [site, s] : order) {
    std::printf("\n%s\n", site.c_str());
    std::printf("  goroutines %zu  running %s  runnable %s  blocking calls %s  blocked %s\n",
                s.goroutines, ms(s.running).c_str(), ms(s.runnable).c_str(), ms(s.syscall).c_str(),
                ms(s.blocked).c_str());
    if (s.blocked_by.empty()) continue;
    std::vector<std::pair<std::string, double>> reasons(s.blocked_by.begin(), s.blocked_by.end());
    std::stable_sort(reasons.begin(), reasons.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string line = "  blocked on:";
    for (const auto& [reason, us] : reasons) line += " " + reason + " " + ms(us) + ",";
    line.pop_back();
    std::printf("%s\n", line.c_str());
  }
  if (doc.contains("otherData") && doc["otherData"].is_object()) {
    const auto dropped = doc["otherData"].value<std::uint64_t>("dropped_events", 0);
    if (dropped > 0) {
      std::printf("\n%" PRIu64
                  " events were dropped (a thread's buffer was full): totals are low\n",
                  dropped);
    }
  }
  return 0;
}

int run_trace(std::span<const std::string> args) {
  if (asks_for_help(args)) return print_help(trace_command);
  if (args.empty()) throw failure(kUsageExit, "goro trace: missing subcommand (summary)");
  if (args[0] != "summary") {
    throw failure(kUsageExit, "goro trace: unknown subcommand " + args[0] + " (summary)");
  }
  if (args.size() != 2 || args[1].starts_with("-")) {
    throw failure(kUsageExit, "goro trace summary: want exactly one trace file");
  }
  return summarize(args[1]);
}

}  // namespace

const command trace_command = {
    "trace",
    "summarize an execution trace (GORODEBUG=trace=FILE)",
    R"usage(usage: goro trace summary FILE

A program run with GORODEBUG=trace=FILE writes FILE when it ends: every goroutine's life
(created, running on a P, runnable, blocked with its wait reason, in goro::blocking calls) as
Chrome trace-event JSON, which https://ui.perfetto.dev and chrome://tracing open, with a track
per P and one per goroutine.

Summary prints, per creation site (the go statement's function, file and line; busiest first),
how many goroutines it started and the time they spent running, runnable (waiting for a P), in
blocking calls and blocked, with the blocked time split by wait reason.

Exit status: 0, 1 when FILE cannot be read or is not a trace, 2 on wrong usage.
)usage",
    run_trace,
};

}  // namespace goro::driver
