// goro report: shows the data race reports a race build writes with GORACE json_path=FILE (and
// the failure groups goro stress writes with --json / -o FILE).
//
// This file holds the command line and the order of the work: read every file (report/reader),
// name each input problem on stderr, keep the reports --filter asks for and shorten file names by
// --strip (report/select), then render one output (report/outputs.hpp) to stdout or -o's file. A
// bad line or an unreadable file costs only itself: everything valid is still shown, and the exit
// status says 1.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "command.hpp"
#include "flag.hpp"
#include "help.hpp"
#include "report/outputs.hpp"
#include "report/reader.hpp"
#include "report/select.hpp"

namespace goro::driver {
namespace {

enum class output { view, summary, sarif, junit };

struct named_output {
  std::string_view name;
  output kind;
};
constexpr named_output kOutputs[] = {{"view", output::view},
                                     {"summary", output::summary},
                                     {"sarif", output::sarif},
                                     {"junit", output::junit}};

constexpr std::string_view kUsageLine =
    "goro report [view|summary|sarif|junit] [--strip PREFIX] [--filter PATTERN]... [-o FILE] "
    "FILE...";

struct report_args {
  bool help = false;  // -h, -help or --help before any "--"
  output kind = output::view;
  std::string strip_prefix;
  std::vector<std::string> filters;
  std::string output_file;  // -o: "" or "-" is stdout
  std::vector<std::string> files;
};

[[noreturn]] void usage_error(const std::string& what) {
  throw failure(kUsageExit, "goro report: " + what);
}

std::optional<output> output_named(std::string_view name) {
  for (const named_output& o : kOutputs) {
    if (o.name == name) return o.kind;
  }
  return std::nullopt;
}

// Whether a first argument that is not an output's name is a file: it exists or looks like a
// path. Anything else ("sumary") is a misspelt output name, a usage error.
bool names_a_file(const std::string& arg) {
  std::error_code ec;
  return arg.find_first_of("./") != std::string::npos || std::filesystem::exists(arg, ec);
}

report_args parse(std::span<const std::string> args) {
  report_args r;
  if (asks_for_help(args)) {
    r.help = true;
    return r;
  }
  std::size_t i = 0;
  if (!args.empty() && !args[0].starts_with('-')) {
    if (std::optional<output> kind = output_named(args[0])) {
      r.kind = *kind;
      i = 1;
    } else if (!names_a_file(args[0])) {
      usage_error("unknown output \"" + args[0] + "\" (view, summary, sarif or junit)");
    }
  }
  bool only_files = false;
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (only_files || arg == "-" || !arg.starts_with('-')) {
      r.files.push_back(arg);
    } else if (arg == "--") {
      only_files = true;
    } else if (std::optional<std::string> prefix = flag_value("goro report", "--strip", args, i)) {
      r.strip_prefix = *prefix;
    } else if (std::optional<std::string> pattern =
                   flag_value("goro report", "--filter", args, i)) {
      r.filters.push_back(*pattern);
    } else if (std::optional<std::string> file = flag_value("goro report", "-o", args, i)) {
      r.output_file = *file;
    } else if (std::optional<std::string> file = flag_value("goro report", "--output", args, i)) {
      r.output_file = *file;
    } else {
      usage_error("unknown flag " + arg + " (--strip, --filter, -o or --help)");
    }
  }
  if (!r.output_file.empty() && r.kind != output::sarif && r.kind != output::junit) {
    usage_error("-o is for sarif and junit; view and summary print to standard output");
  }
  if (r.files.empty())
    usage_error("no report files given (usage: " + std::string(kUsageLine) + ")");
  return r;
}

// Colour only for a terminal, and not when NO_COLOR is set and not empty (no-color.org) or the
// terminal says it cannot.
bool stdout_wants_color() {
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || *no_color == '\0') &&
         !(term != nullptr && std::string_view(term) == "dumb");
}

std::string render(const report_args& args, const std::vector<report::race_report>& reports) {
  switch (args.kind) {
    case output::view:
      return report::render_view(reports, {stdout_wants_color(), args.strip_prefix});
    case output::summary:
      return report::render_summary(reports);
    case output::sarif:
      return report::render_sarif(reports);
    case output::junit:
      return report::render_junit(reports);
  }
  return {};
}

// Writes the output to stdout, or replaces -o's file with it. A regular file that cannot be
// written is removed rather than left half-written for CI to upload; anything else (a device, a
// pipe) is left alone.
void write_output(const std::string& file, const std::string& text) {
  if (file.empty() || file == "-") {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
        std::fflush(stdout) != 0) {
      throw failure(1, std::string("goro report: writing the output: ") + std::strerror(errno));
    }
    return;
  }
  std::FILE* out = std::fopen(file.c_str(), "w");
  if (out == nullptr) throw failure(1, "goro report: " + file + ": " + std::strerror(errno));
  struct stat st {};
  const bool regular = ::fstat(::fileno(out), &st) == 0 && S_ISREG(st.st_mode);
  bool written = std::fwrite(text.data(), 1, text.size(), out) == text.size();
  int error = errno;
  if (std::fclose(out) != 0 && written) {
    written = false;
    error = errno;
  }
  if (!written) {
    if (regular) std::remove(file.c_str());
    throw failure(1, "goro report: writing " + file + ": " + std::strerror(error));
  }
}

int run_report(std::span<const std::string> arguments) {
  const report_args args = parse(arguments);
  if (args.help) return print_help(report_command);
  report::input in;
  for (const std::string& file : args.files) report::read_file(file, in);
  for (const std::string& problem : in.problems) {
    std::fprintf(stderr, "goro report: %s\n", problem.c_str());
  }
  report::keep_matching(in.reports, args.filters);
  report::strip_file_prefix(in.reports, args.strip_prefix);
  write_output(args.output_file, render(args, in.reports));
  return in.problems.empty() ? 0 : 1;
}

}  // namespace

const command report_command = {
    "report",
    "show the data race reports of race-enabled runs",
    R"usage(usage: goro report [view|summary|sarif|junit] [--strip PREFIX] [--filter PATTERN]...
                   [-o FILE] FILE...

Report reads the data race reports that programs built with -race append, one JSON object per
line, to the file named by GORACE="json_path=FILE", and shows them. It also reads the failure
groups that goro stress writes with -o FILE (or prints with --json). Several files may be given;
"-" is standard input.

The first argument chooses the output; without one it is view:

	view      every report as the program printed it, coloured on a terminal (not when NO_COLOR
	          is set), each access's top frame followed by a few lines of its source, the racing
	          line marked with '>', when the file can be found
	summary   one line per distinct race, "COUNT  LOCATION <-> LOCATION", most reported first,
	          then "N reports, M distinct races in K files", K counting the source
	          files the races' locations are in
	sarif     SARIF 2.1.0 for code-scanning UIs: one result per distinct race
	junit     JUnit XML for CI test tabs: one failed testcase per distinct race in the suite
	          "goro race"

A distinct race is a pair of source locations, the top frames (function, file:line) of the two
accesses, in either order: the same race reported by several runs counts once. Each goro stress
failure group is shown as it was written, after the races: view as "goro stress: KIND: N of M runs
failed (first: seed S)", its frames, the command that reproduces it and its output's excerpt;
summary counts its failed runs; sarif and junit give it a result or a testcase of its own. A
first argument that is not an output's name, does not exist and has no '.' or '/' is taken for a
misspelt one.

Flags, anywhere before a "--":

	--strip PREFIX     remove PREFIX from the front of file names in every output; view also
	                   looks for a stripped source file in the working directory (--strip=PREFIX)
	--filter PATTERN   keep only the reports in which some frame of either access's stack (of a
	                   stress group: of its frames) has PATTERN in its function or file name
	                   (before --strip); repeated, keep the reports that match any of them
	                   (--filter=PATTERN)
	-o FILE            sarif and junit: write the output to FILE, replacing it, instead of to
	                   standard output ("-"); also --output FILE, -o=FILE, --output=FILE. A file
	                   that cannot be written is an error, exit status 1
	-h, --help         print this text

A line that is not a valid report (malformed or truncated JSON, a field missing or of the wrong
type, a version other than 1) is named on stderr as "goro report: FILE:LINE: what is wrong" and
skipped, and so is a file that cannot be read; the valid reports are still shown and the exit
status is 1. Otherwise it is 0, races or not. Blank lines are ignored.

Example, in CI:

	GORACE="json_path=$PWD/races.json" ctest
	goro report summary races.json
	goro report sarif --strip "$PWD/" -o races.sarif races.json

See also: goro run, docs/report-format.md.
)usage",
    run_report,
};

}  // namespace goro::driver
