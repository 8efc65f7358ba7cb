// goro c++: clang++-14 with goro's flags and runtime, for compiling, linking or both.
//
// The driver execs clang rather than running it, so clang's diagnostics and exit status are the
// command's own and build systems see an ordinary compiler.
#include <string>
#include <vector>

#include "command.hpp"
#include "help.hpp"
#include "process.hpp"
#include "toolchain.hpp"

namespace goro::driver {
namespace {

int run_cxx(std::span<const std::string> input) {
  std::vector<std::string> args(input.begin(), input.end());
  build_mode mode = take_race_flag(args);
  // Alone, --help is goro's; with anything else it is clang's, like every other argument.
  if (args.size() == 1 && is_help_flag(args[0])) return print_help(cxx_command);
  toolchain tc = toolchain::locate(mode);
  exec_program(tc.compiler_command(find_compiler(), args, purpose::compile));
}

}  // namespace

const command cxx_command = {
    "c++",
    "compile and link C++ code against the goro runtime",
    R"usage(usage: goro c++ [-race] [clang++ arguments]

C++ runs clang++-14 as if it were invoked as `clang++-14 -std=c++20 <arguments>`, adding goro's
include directory, frame pointers, -pthread and the instrumentation plugin, and, when the command
links, the goro runtime libraries. It works for compiling (-c), linking and both at once, with any
number of files and any optimisation level. The exit status and diagnostics are clang's.

The -race flag builds with the race detector: accesses are instrumented, tail calls are kept
from replacing their caller's frame (-fno-optimize-sibling-calls) so reports show every frame, the
race runtime is linked, and GORO_RACE=1 and libstdc++'s race-detector switch _GLIBCXX_TSAN=1 are
defined.

Without -race the link also brings goro's default heap, Intel TBB's scalable allocator with
large blocks in huge pages; GORO_MALLOC=glibc keeps glibc's malloc (see 'goro help env').

The GORO_CLANG environment variable names a different clang++ to run.

goro c++ -h (or --help) alone prints this text. With other arguments, --help goes to clang like
every argument; clang++-14 --help lists clang's options.

See also: goro flags, goro run.
)usage",
    run_cxx,
};

}  // namespace goro::driver
