// goro run: compile a program into a temporary directory, run it, remove it (Go's `go run`).
//
// Command line: [-race] [clang flags] file.cpp... [--] [program args]. Everything before the first
// source file is for the compiler (a flag's separate value included: -I dir, -D X); the source
// files follow; the first argument that is not a source file, or a `--`, starts the program's
// arguments. The exit status is the program's (128 + signal if a signal ended it), or clang's if it
// fails.
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "command.hpp"
#include "help.hpp"
#include "process.hpp"
#include "toolchain.hpp"

namespace goro::driver {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kSourceSuffixes[] = {".cpp", ".cc", ".cxx", ".c++", ".C", ".c"};

bool is_source(std::string_view arg) {
  if (arg.starts_with("-")) return false;
  return std::any_of(std::begin(kSourceSuffixes), std::end(kSourceSuffixes),
                     [&](std::string_view s) { return arg.size() > s.size() && arg.ends_with(s); });
}

struct run_args {
  bool help = false;  // -h, -help or --help before the files
  build_mode mode = build_mode::plain;
  std::vector<std::string> compiler_flags;
  std::vector<std::string> files;
  std::vector<std::string> program_args;
};

run_args parse(std::span<const std::string> args) {
  run_args r;
  std::size_t i = 0;
  for (; i < args.size() && !is_source(args[i]); ++i) {
    const std::string& a = args[i];
    if (is_help_flag(a)) {
      r.help = true;
      return r;
    }
    if (a == "-race") {
      r.mode = build_mode::race;
    } else if (a == "--") {
      break;
    } else if (a.starts_with("-")) {
      r.compiler_flags.push_back(a);
      if (takes_separate_value(a) && i + 1 < args.size()) r.compiler_flags.push_back(args[++i]);
    } else {
      throw failure(kUsageExit, "goro run: " + a + ": not a C++ source file (.cpp, .cc, .cxx, .c)");
    }
  }
  for (; i < args.size() && is_source(args[i]); ++i) r.files.push_back(args[i]);
  if (r.files.empty()) {
    throw failure(kUsageExit,
                  "goro run: no source files given (usage: goro run file.cpp... [-- args])");
  }
  if (i < args.size() && args[i] == "--") ++i;
  r.program_args.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  return r;
}

// A directory that lives as long as the object: mkdtemp under $TMPDIR (else /tmp).
class temp_dir {
 public:
  temp_dir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/goro-run-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw failure(1, "goro run: cannot create a temporary directory in " +
                           fs::path(pattern).parent_path().string() + ": " +
                           std::error_code(errno, std::generic_category()).message());
    }
    path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

int run_run(std::span<const std::string> args) {
  run_args r = parse(args);
  if (r.help) return print_help(run_command);
  for (const auto& f : r.files) {
    std::error_code ec;
    if (!fs::is_regular_file(f, ec)) throw failure(1, "goro run: " + f + ": no such file");
  }
  toolchain tc = toolchain::locate(r.mode);
  std::string compiler = find_compiler();

  temp_dir dir;
  std::string binary = (dir.path() / fs::path(r.files.front()).stem()).string();
  std::vector<std::string> clang_args = r.compiler_flags;
  clang_args.insert(clang_args.end(), r.files.begin(), r.files.end());
  clang_args.insert(clang_args.end(), {"-o", binary});
  const int compiled = run_program(tc.compiler_command(compiler, clang_args, purpose::run));
  if (compiled != 0) return compiled;

  std::vector<std::string> program = {binary};
  program.insert(program.end(), r.program_args.begin(), r.program_args.end());
  return run_program(program);
}

}  // namespace

const command run_command = {
    "run",
    "compile and run a C++ program",
    R"usage(usage: goro run [-race] [clang++ flags] file.cpp... [--] [arguments...]

Run compiles the named C++ source files with `goro c++` into a temporary directory, runs the
program with the arguments, and removes it afterwards. Compiler flags (-O2, -I dir, -D X=1) go
before the first file; the first argument after the files that is not a source file, or
everything after a `--`, is passed to the program. The program is built with line information
(-g), as `go run` builds, unless a -g option of your own (-g0, -gline-tables-only, ...) is given.

The exit status is the program's (128 + the signal number if a signal ended it); if compiling
fails, it is the compiler's. The -race flag builds and runs with the race detector.

-h or --help before the files prints this text; after them it is the program's argument, as in
goro run main.cpp --help.

See also: goro c++.
)usage",
    run_run,
};

}  // namespace goro::driver
