// Rendering goro stress's groups as text and as stress_failure JSON lines (see output.hpp).
#include "output.hpp"

#include <unistd.h>

#include <ctime>
#include <nlohmann/json.hpp>

namespace goro::driver::stress {
namespace {

std::string plural(std::uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string frame_text(const frame& f) {
  return f.function + " " + f.file + ":" + std::to_string(f.line);
}

// RFC 3339 UTC with milliseconds, as the race reports' `time`.
std::string now_rfc3339() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  std::tm utc{};
  ::gmtime_r(&ts.tv_sec, &utc);
  char buf[40];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buf + n, sizeof buf - n, ".%03ldZ", ts.tv_nsec / 1'000'000);
  return buf;
}

}  // namespace

void print_text(std::FILE* out, const session& s, const run_setting& setting,
                const failure_groups& groups) {
  std::string head = "goro stress: ";
  if (s.interrupted) {
    head += "interrupted after " + std::to_string(s.made) + " of " + plural(s.asked, "run", "runs");
  } else {
    head += plural(s.made, "run", "runs");
  }
  if (groups.failed_runs() == 0) {
    head += ", none failed";
  } else {
    head += ", " + std::to_string(groups.failed_runs()) +
            " failed: " + plural(groups.size(), "kind of failure", "kinds of failure");
  }
  if (s.made > 0) {
    // Interrupted, the runs made are some of those started: say where they began.
    head += s.interrupted ? ", seeds from " + std::to_string(s.seed_from)
                          : ", seeds " + std::to_string(s.seed_from) + ".." +
                                std::to_string(seed_of(s, s.asked - 1));
    if (s.pct > 0) head += " with pct=" + std::to_string(s.pct);
  }
  std::fprintf(out, "%s\n", head.c_str());

  for (const failure_group* g : groups.by_count()) {
    std::uint64_t seed = seed_of(s, g->first_index);
    std::fprintf(out, "\n%s: %llu of %llu runs (first: seed %llu)\n", g->first.kind.c_str(),
                 static_cast<unsigned long long>(g->runs), static_cast<unsigned long long>(s.made),
                 static_cast<unsigned long long>(seed));
    std::fprintf(out, "  %s\n", g->first.headline.c_str());
    const char* lead = "at";
    for (const frame& f : g->first.frames) {
      std::fprintf(out, "  %s %s\n", lead, frame_text(f).c_str());
      lead = "  ";
    }
    std::fprintf(out, "  reproduce: %s\n", setting.reproduce(seed).c_str());
    std::fprintf(out, "  output: %s\n", g->output_path.c_str());
    std::string_view excerpt = g->first.excerpt;
    while (!excerpt.empty()) {
      std::size_t end = excerpt.find('\n');
      std::string_view line = excerpt.substr(0, end);
      if (line.empty()) {
        std::fputs("    |\n", out);
      } else {
        std::fprintf(out, "    | %.*s\n", static_cast<int>(line.size()), line.data());
      }
      excerpt.remove_prefix(end == std::string_view::npos ? excerpt.size() : end + 1);
    }
  }
}

std::string json_lines(const session& s, const run_setting& setting, const failure_groups& groups) {
  std::string out;
  const std::string time = now_rfc3339();
  for (const failure_group* g : groups.by_count()) {
    std::uint64_t seed = seed_of(s, g->first_index);
    nlohmann::ordered_json line;
    line["version"] = 1;
    line["type"] = "stress_failure";
    line["time"] = time;
    line["pid"] = ::getpid();
    line["program"] = s.program;
    line["kind"] = g->first.kind;
    line["headline"] = g->first.headline;
    line["runs"] = g->runs;
    line["of"] = s.made;
    line["seed"] = seed;
    line["pct"] = s.pct;
    line["command"] = setting.reproduce(seed);
    line["frames"] = nlohmann::ordered_json::array();
    for (const frame& f : g->first.frames) {
      line["frames"].push_back({{"function", f.function}, {"file", f.file}, {"line", f.line}});
    }
    line["output"] = g->output_path;
    line["text"] = g->first.excerpt;
    // A program's output need not be UTF-8: replace what is not, rather than fail.
    out += line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    out += '\n';
  }
  return out;
}

}  // namespace goro::driver::stress
