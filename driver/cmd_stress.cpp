// goro stress: run a program many times, each under its own seeded schedule, and group what failed
// (the pieces are in stress/: options, setting, runner, classify, groups, output).
//
// Go's x/tools stress reruns a binary and hopes the operating system interleaves it differently;
// here every run's interleaving is named by its seed (GORODEBUG=schedseed), so a failure comes with
// the command that replays it. Progress and each new kind of failure go to stderr as they happen;
// the groups go to stdout at the end, as text or with --json as JSON lines, which -o also writes
// to a file for `goro report`.
#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "command.hpp"
#include "help.hpp"
#include "process.hpp"
#include "stress/classify.hpp"
#include "stress/groups.hpp"
#include "stress/options.hpp"
#include "stress/output.hpp"
#include "stress/runner.hpp"
#include "stress/setting.hpp"

namespace goro::driver {
namespace {

using namespace stress;

// A run's output read for classifying: reports come first, and a program that prints without end
// should not make the driver hold it all.
constexpr std::size_t kOutputReadLimit = 4 << 20;

// A seed to start from when --seed-from is not given: random, below 2^31 so the printed commands
// stay short.
std::uint64_t random_seed() {
  std::uint32_t r = 0;
  if (::getrandom(&r, sizeof r, 0) != static_cast<ssize_t>(sizeof r)) {
    r = static_cast<std::uint32_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  return (r & 0x7fffffffU) | 1U;
}

std::string read_head(const std::string& path) {
  std::string text;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return text;
  text.resize(kOutputReadLimit);
  text.resize(std::fread(text.data(), 1, text.size(), f));
  std::fclose(f);
  return text;
}

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

// The progress line on a terminal, redrawn in place; nothing when stderr is not one.
class progress {
 public:
  explicit progress(std::uint64_t runs)
      : runs_(runs), on_(::isatty(STDERR_FILENO) != 0), began_(std::chrono::steady_clock::now()) {}

  void draw(std::uint64_t made, std::uint64_t failed) {
    if (!on_) return;
    auto secs =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - began_);
    std::fprintf(stderr, "\r\033[K%llu/%llu runs, %llu failed, %llds",
                 static_cast<unsigned long long>(made), static_cast<unsigned long long>(runs_),
                 static_cast<unsigned long long>(failed), static_cast<long long>(secs.count()));
    std::fflush(stderr);
  }
  // Clears the line so a message can be printed in its place.
  void clear() {
    if (on_) std::fputs("\r\033[K", stderr);
  }

 private:
  std::uint64_t runs_;
  bool on_;
  std::chrono::steady_clock::time_point began_;
};

// -o FILE: written next to its final place and renamed over it at the end, so a file that cannot
// be written is found before the runs, and an old FILE survives until there is a new one.
class output_file {
 public:
  explicit output_file(std::string path) : path_(std::move(path)), temp_(path_ + ".tmp") {
    if (path_.empty()) return;
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      throw failure(1, "goro stress: cannot write " + path_ + ": " + std::strerror(errno));
    }
  }
  ~output_file() {
    if (fd_ >= 0) {
      ::close(fd_);
      ::unlink(temp_.c_str());
    }
  }
  output_file(const output_file&) = delete;
  output_file& operator=(const output_file&) = delete;

  // Returns false, having said why, when the file could not be written.
  bool commit(const std::string& text) {
    if (fd_ < 0) return true;
    bool ok = true;
    for (std::size_t done = 0; ok && done < text.size();) {
      ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      ok = n > 0;
      if (ok) done += static_cast<std::size_t>(n);
    }
    ok = ::close(fd_) == 0 && ok;
    fd_ = -1;
    if (ok && ::rename(temp_.c_str(), path_.c_str()) == 0) return true;
    std::fprintf(stderr, "goro stress: cannot write %s: %s\n", path_.c_str(), std::strerror(errno));
    ::unlink(temp_.c_str());
    return false;
  }

 private:
  std::string path_;
  std::string temp_;
  int fd_ = -1;
};

// A directory for the runs' output: $TMPDIR/goro-stress-XXXXXX.
std::string make_output_dir() {
  std::string tmp = env_or_empty("TMPDIR");
  std::string pattern = (tmp.empty() ? "/tmp" : tmp) + "/goro-stress-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw failure(1, "goro stress: cannot create a directory for the runs' output: " + pattern +
                         ": " + std::strerror(errno));
  }
  return pattern;
}

int run_stress(std::span<const std::string> args) {
  options o = parse_options(args);
  if (o.help) return print_help(stress_command);

  const std::string& name = o.program.front();
  std::optional<std::string> path = find_program(name);
  if (!path) {
    throw failure(kUsageExit,
                  "goro stress: " + name +
                      (name.find('/') == std::string::npos ? ": executable file not found in $PATH"
                                                           : ": not an executable file"));
  }
  output_file json_file(o.output_file);

  session s;
  s.program = name;
  s.asked = o.runs;
  s.seed_from = o.seed_from ? *o.seed_from : random_seed();
  s.pct = o.pct;
  run_setting setting(env_or_empty("GORODEBUG"), o.pct, env_or_empty("GOMAXPROCS"), o.program);
  for (const std::string& key : setting.overridden()) {
    std::fprintf(stderr, "goro stress: GORODEBUG's %s is ignored: each run gets its own\n",
                 key.c_str());
  }
  std::fprintf(stderr, "goro stress: %llu runs of %s, %llu at a time, seeds from %llu%s\n",
               static_cast<unsigned long long>(o.runs), name.c_str(),
               static_cast<unsigned long long>(o.parallel),
               static_cast<unsigned long long>(s.seed_from),
               o.pct > 0 ? (", pct=" + std::to_string(o.pct)).c_str() : "");

  const std::string dir = make_output_dir();
  pool_plan plan{*path, o.program, dir, o.timeout, o.parallel};
  failure_groups groups;
  progress line(o.runs);

  auto spec_for = [&](std::uint64_t i) {
    std::uint64_t seed = seed_of(s, i);
    return run_spec{setting.environment(seed), "seed-" + std::to_string(seed) + ".log"};
  };
  auto on_finished = [&](const finished_run& r) {
    ++s.made;
    std::optional<verdict> v = classify(r.end, read_head(r.output_path));
    if (!v) {
      ::unlink(r.output_path.c_str());
      return;
    }
    std::string headline = v->headline;
    if (groups.add(r.index, std::move(*v), r.output_path)) {
      line.clear();
      std::fprintf(stderr, "goro stress: seed %llu: %s\n",
                   static_cast<unsigned long long>(seed_of(s, r.index)), headline.c_str());
    }
  };
  s.interrupted = !run_pool(plan, o.runs, spec_for, on_finished,
                            [&] { line.draw(s.made, groups.failed_runs()); });
  line.clear();
  if (groups.size() == 0) ::rmdir(dir.c_str());

  const std::string json = json_lines(s, setting, groups);
  if (o.json) {
    std::fputs(json.c_str(), stdout);
  } else {
    print_text(stdout, s, setting, groups);
  }
  std::fflush(stdout);
  bool written = json_file.commit(json);
  if (groups.failed_runs() > 0 || !written) return 1;
  return s.interrupted ? 128 + SIGINT : 0;
}

}  // namespace

const command stress_command = {
    "stress",
    "run a program many times under seeded schedules and group its failures",
    R"usage(usage: goro stress [-n RUNS] [-p PARALLEL] [-timeout D] [--pct D] [--seed-from N]
                   [--json] [-o FILE] [--] PROG [ARGS...]

Stress runs PROG with ARGS again and again, each run under its own seeded schedule
(GORODEBUG=schedseed=N, with seeds N, N+1, ...), and groups the runs that failed by what
failed and where. For each group it prints how many runs failed that way, the first seed,
the report's first line and top frames, the command that replays the run, and the start
of its output. A seed replays its schedule: the printed command fails the same way again
for a program that reads the same input.

A run fails when it exits with a non-zero status, is killed by a signal, or outlives
-timeout. It is classified by the first runtime report in its output: data race,
lock-order inversion, deadlock, partial deadlock, panic or fatal error; otherwise signal,
exit status or timeout. Runs that fail with the same kind, the same first line (numbers
aside) and the same top frames of the program's own form one group. The first run's whole
output (stdout and stderr) is kept in a goro-stress-XXXXXX directory under $TMPDIR (or /tmp).

Flags (one dash or two, "-n 50" or "-n=50"), before PROG or a "--":

	-n RUNS          how many runs (default 1000)
	-p PARALLEL      how many at once (default: the number of CPUs); a seeded
	                 run has one P, so the runs do not compete for the CPUs
	-timeout D       a run that takes longer gets SIGQUIT (a goro program prints
	                 its goroutines), then SIGKILL 5s later; a Go duration such as
	                 30s, 1m30s (default 10m)
	--pct D          PCT schedules of depth D, 1 to 16 (GORODEBUG=...,pct=D): random
	                 priorities with D-1 change points; finds bugs that need a few
	                 specific preemptions
	--seed-from N    the first seed (default: a random one, printed)
	--json           print the groups as JSON lines (goro report's stress_failure
	                 lines) instead of the text
	-o FILE          also write the JSON lines to FILE, replacing it, for goro report
	                 (goro report junit -o report.xml FILE)
	-h, --help       print this text

Each run gets the driver's environment with GORODEBUG set to schedseed=N (and pct=D),
followed by the other keys of the driver's own GORODEBUG. Its stdin is /dev/null; it leads
its own process group, so Ctrl-C stops goro stress, which stops the runs and prints what
they had found.

Exit status: 0 when no run failed, 1 when some did (or FILE could not be written), 2 for
usage errors (a bad flag, no PROG, a PROG that cannot be run), 130 when interrupted before
any run failed.

Example:

	goro c++ -race -O1 -g bank.cpp -o bank
	goro stress -n 500 -- ./bank --accounts 2
	goro stress --pct 3 --json -o stress.json ./bank && goro report junit stress.json

See also: goro help env (GORODEBUG's schedseed and pct).
)usage",
    run_stress,
};

}  // namespace goro::driver
