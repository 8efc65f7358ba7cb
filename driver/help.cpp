// goro help: the list of commands and topics, a command's usage, and the two topics that belong to
// no command: gorace (the race detector's options, detector/src/options.cpp, and its suppressions
// file, detector/src/report.cpp) and env (every environment variable goro or the programs it builds
// read). The texts describe what the code does; a change there changes them here.
#include "help.hpp"

#include <string>

namespace goro::driver {
namespace {

struct topic {
  std::string_view name;
  std::string_view summary;  // one line in `goro help`
  std::string_view text;
};

constexpr topic kGorace = {
    "gorace",
    "the race detector's GORACE options and suppressions file",
    R"text(GORACE configures the race detector of programs built with -race (goro c++ -race,
goro run -race, the CMake target goro::race, pkg-config's goro-race). It is read once, when the
program starts, and holds space-separated key=value pairs, as Go's GORACE does:

	GORACE="log_path=/tmp/race strip_path_prefix=$PWD/ halt_on_error=1" ./app

The keys:

	log_path=PATH
		Write the reports, and the final "Found N data race(s)", to PATH.<pid> instead of
		standard error. The file is created or emptied when the first report is written;
		if it cannot be, standard error is used. log_path=stdout and log_path=stderr name
		those streams. Default: standard error.
	exitcode=N
		The exit status, 0..255, of a program that found races. Default: 66.
	halt_on_error=0|1
		1: exit with exitcode right after the first report. Default: 0, report every race.
	strip_path_prefix=PREFIX
		Remove PREFIX from the front of file names in the reports (text and json_path).
		Default: none.
	history_size=0..7
		How much of each goroutine's past the detector keeps to show the stack of a
		race's previous access: 32768 << N events per goroutine (Go's sizes). Larger finds
		the stack of older accesses and costs memory; when it is gone, the report says
		"[failed to restore the stack]". Default: 1 (65536 events).
	json_path=FILE
		Also append every report to FILE as one JSON object per line, for goro report
		(see 'goro help report'). The file is created when the program starts, so a run
		without races leaves it empty, and runs append to it; one that cannot be opened
		stops the program at start-up with exit status 2. Default: none.
	suppressions=FILE
		Do not report the races FILE names (below). Default: none.
	atexit_sleep_ms=N
		Accepted, so a GORACE written for Go works, and ignored: goro exits at once.

An entry without '=', an unknown key, an empty value or a number out of range stops the program
at start-up with exit status 2 and "goro: malformed GORACE: ...", naming the entry: a misspelt
option must not quietly leave the detector as it was.

The suppressions file has ThreadSanitizer's format, one rule a line:

	# Races in the vendored code are its authors' to fix.
	race:third_party/
	race:^legacy::Cache::
	race:/stats.cpp$
	race:Counter::add(*)$

A "race:PATTERN" line suppresses every report in which PATTERN matches the function name
(demangled, with its parameters, as reports print it) or the file name (in full, before
strip_path_prefix) of some frame of either access's stack; creation stacks do not count. PATTERN
matches anywhere in the name; '*' matches any run of characters, a leading '^' ties it to the
start of the name and a trailing '$' to the end. A suppressed race is not printed, not written to
json_path and does not make the exit status exitcode. Blanks around a line, blank lines and lines
starting with '#' are ignored, and so are ThreadSanitizer's other rule types ("thread:",
"mutex:", ...), since goro makes no such reports. Any other line stops the program at start-up
with exit status 2 and "goro: GORACE suppressions: FILE:LINE: ...", and so does a file that
cannot be opened.
)text",
};

constexpr topic kEnv = {
    "env",
    "environment variables",
    R"text(These environment variables change what goro's programs and the goro command do.

Every program built with goro:

	GOMAXPROCS
		How many goroutines run at once (the Ps), at most 1024. Default, and when the value
		is not a positive integer (ignored, as Go ignores it): the CPUs in the process's
		affinity mask. goro::gomaxprocs(n) changes it while the program runs.
	GORO_STACK_SIZE
		A new goroutine's stack in bytes, 16384..1073741824, rounded up to whole pages.
		Default: 65536. Another value stops the program at start-up with "fatal error:
		GORO_STACK_SIZE ..." and exit status 2. goro::go_with_stack chooses the size of one
		goroutine's stack.
	GORODEBUG
		Comma-separated key=value debugging switches, as Go's GODEBUG:
		partialdeadlock=fatal|warn|0 (a cycle of goroutines waiting for each other's locks:
		exit status 2 with a report, the default; a report and the program goes on; no check),
		leakcheck=1 (when main returns, list the goroutines still alive, grouped by where they
		were created, and mark those proved never to wake as leaked), leakcheckexit=N (the
		exit status of a run whose leak check reported, when main returned 0), schedseed=N
		(every scheduling choice from a generator seeded with N, GOMAXPROCS 1 unless set: the
		same seed replays the same interleaving; failure reports end with the setting),
		pct=D (with schedseed: PCT priorities with D-1 change points, D from 1 to 16),
		trace=FILE (an execution trace written to FILE when the program ends: see
		'goro help trace').
		Unknown keys are ignored; a bad value of a known key stops the program at start-up
		with "fatal error: GORODEBUG: ..." and exit status 2.
	PATH
		Where llvm-symbolizer-14 is looked for, to name the frames of a stack (in a dump, a
		panic or a race report) that the program's own debug information cannot.

Programs built with -race:

	GORACE
		The race detector's options; see 'goro help gorace'.

The goro command:

	GORO_CLANG
		The clang++ goro c++ and goro run call: a path, or a name looked up in PATH.
		Default: clang++-14. goro's plugin loads only into clang 14.
	GORO_MALLOC
		The heap goro c++, goro run and goro flags --ldflags link into a program built
		without -race: tbb (the default: Intel TBB's scalable allocator, which suits memory
		freed on another thread than the one that allocated it, with blocks of 4 MiB or more
		in transparent huge pages) or glibc (glibc's malloc). Race builds always use glibc's
		malloc, which the race runtime watches, and so do -static links (tbbmalloc has no
		static library) and links with a sanitizer that brings its own malloc
		(-fsanitize=address, thread, memory, leak, hwaddress, dataflow or scudo). Anything
		else is an error
		(exit status 2).
	PATH
		Where clang++-14, or GORO_CLANG's name, is looked for.
	TMPDIR
		Where goro run makes the temporary directory it builds in. Default: /tmp.
	NO_COLOR, TERM
		goro report view colours its output on a terminal, unless NO_COLOR is set and not
		empty or TERM is "dumb".
)text",
};

constexpr const topic* kTopics[] = {&kGorace, &kEnv};

void write(std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); }

// "c++, run, flags, report, version, gorace or env".
std::string every_name() {
  std::string names;
  auto add = [&](std::string_view name, bool last) {
    if (!names.empty()) names += last ? " or " : ", ";
    names += name;
  };
  for (const command* c : all_commands()) add(c->name, false);
  for (const topic* t : kTopics) add(t->name, t == kTopics[std::size(kTopics) - 1]);
  return names;
}

}  // namespace

bool is_help_flag(std::string_view arg) { return arg == "-h" || arg == "-help" || arg == "--help"; }

bool asks_for_help(std::span<const std::string> args) {
  for (const std::string& arg : args) {
    if (arg == "--") return false;
    if (is_help_flag(arg)) return true;
  }
  return false;
}

int print_help(const command& c) {
  write(c.usage);
  return 0;
}

void print_usage(std::FILE* out) {
  std::fputs(
      "Goro builds and runs C++ programs on goro's goroutine runtime.\n"
      "\n"
      "Usage:\n"
      "\n"
      "\tgoro <command> [arguments]\n"
      "\n"
      "The commands are:\n"
      "\n",
      out);
  for (const command* c : all_commands()) {
    std::fprintf(out, "\t%-10.*s %.*s\n", static_cast<int>(c->name.size()), c->name.data(),
                 static_cast<int>(c->summary.size()), c->summary.data());
  }
  std::fputs(
      "\nUse \"goro help <command>\" for more information about a command.\n"
      "\n"
      "Additional help topics:\n"
      "\n",
      out);
  for (const topic* t : kTopics) {
    std::fprintf(out, "\t%-10.*s %.*s\n", static_cast<int>(t->name.size()), t->name.data(),
                 static_cast<int>(t->summary.size()), t->summary.data());
  }
  std::fputs("\nUse \"goro help <topic>\" for more information about that topic.\n", out);
}

int run_help(std::span<const std::string> args) {
  if (args.empty() || (args.size() == 1 && is_help_flag(args[0]))) {
    print_usage(stdout);
    return 0;
  }
  if (args.size() > 1) {
    throw failure(kUsageExit, "usage: goro help command\n\nToo many arguments given.");
  }
  for (const command* c : all_commands()) {
    if (c->name == args[0]) return print_help(*c);
  }
  for (const topic* t : kTopics) {
    if (t->name == args[0]) {
      write(t->text);
      return 0;
    }
  }
  throw failure(kUsageExit, "goro help " + args[0] + ": unknown help topic (" + every_name() +
                                "). Run 'goro help'.");
}

}  // namespace goro::driver
