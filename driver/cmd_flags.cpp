// goro flags: the compile and link flags of `goro c++`, for build systems that call the compiler
// themselves (Make, Meson, shell scripts). CMake users have find_package(goro) instead.
#include <cstdio>
#include <string>
#include <vector>

#include "command.hpp"
#include "help.hpp"
#include "shell.hpp"
#include "toolchain.hpp"

namespace goro::driver {
namespace {

int run_flags(std::span<const std::string> args) {
  if (asks_for_help(args)) return print_help(flags_command);
  build_mode mode = build_mode::plain;
  bool want_cxx = false;
  bool want_ld = false;
  for (const auto& a : args) {
    if (a == "-race") {
      mode = build_mode::race;
    } else if (a == "--cxxflags") {
      want_cxx = true;
    } else if (a == "--ldflags") {
      want_ld = true;
    } else if (a.starts_with("-")) {
      throw failure(kUsageExit,
                    "goro flags: unknown flag " + a + " (-race, --cxxflags, --ldflags or --help)");
    } else {
      throw failure(kUsageExit, "goro flags: unexpected argument " + a);
    }
  }
  if (!want_cxx && !want_ld) {
    throw failure(kUsageExit, "goro flags: give --cxxflags or --ldflags (see 'goro help flags')");
  }

  toolchain tc = toolchain::locate(mode);
  std::vector<std::string> flags;
  if (want_cxx) flags = tc.cxxflags();
  if (want_ld) {
    auto ld = tc.ldflags();
    flags.insert(flags.end(), ld.begin(), ld.end());
  }
  std::string line;
  for (const auto& f : flags) {
    if (!line.empty()) line += ' ';
    line += shell_quote(f);
  }
  std::printf("%s\n", line.c_str());
  return 0;
}

}  // namespace

const command flags_command = {
    "flags",
    "print the compiler and linker flags for other build systems",
    R"usage(usage: goro flags [-race] --cxxflags | --ldflags

Flags prints, on one line, the flags `goro c++` adds:

	--cxxflags   compile flags: -std=c++20, the include directory, frame pointers, -pthread and
	             the instrumentation plugin (-race: also the plugin's race switch,
	             -D_GLIBCXX_TSAN=1, -fno-optimize-sibling-calls and -DGORO_RACE=1)
	--ldflags    link inputs: the runtime archives (-race: the race runtime), the default heap
	             (without -race, unless GORO_MALLOC=glibc: see 'goro help env') and -pthread

Both may be given; the compile flags come first. Words with unusual characters are quoted for a
POSIX shell. Example:

	CXXFLAGS="$(goro flags --cxxflags)" LDLIBS="$(goro flags --ldflags)" make

CMake projects can use find_package(goro) and link goro::runtime or goro::race; pkg-config users
have goro.pc and goro-race.pc.
)usage",
    run_flags,
};

}  // namespace goro::driver
