// goro vet: static checks for goroutine bugs the compiler does not catch. The checks themselves
// live in goro-vet (vet/), a program of its own beside the runtime that this command execs with
// the user's arguments and the install tree's prefix; this file answers --help and finds it.
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "command.hpp"
#include "help.hpp"
#include "process.hpp"
#include "toolchain.hpp"

namespace goro::driver {
namespace {

int run_vet(std::span<const std::string> args) {
  if (asks_for_help(args)) return print_help(vet_command);
  const toolchain tools = toolchain::locate(build_mode::plain);
  const std::filesystem::path vet = tools.prefix() / "lib" / "goro" / "goro-vet";
  if (!std::filesystem::exists(vet)) {
    throw failure(kUsageExit, "goro vet: not installed: " + vet.string() +
                                  " is missing (building it needs llvm-14-dev, libclang-14-dev "
                                  "and libtbb-dev)");
  }
  std::vector<std::string> argv = {vet.string(), "--goro-prefix=" + tools.prefix().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  exec_program(argv);
}

}  // namespace

const command vet_command = {
    "vet",
    "report likely goroutine mistakes in C++ sources",
    R"usage(usage: goro vet [-p BUILD_DIR] [-j N] [--sarif FILE] [FILES...] [-- COMPILER FLAGS...]

Vet parses C++ sources with clang and reports goroutine mistakes the compiler accepts, one line
each, as a compiler does (editors and CI annotate them):

    FILE:LINE:COL: warning: MESSAGE [goro-CHECK]

Checks:
    stack-capture   goro::go captures a local (or this) by reference, and the function can
                    return or leave the local's scope while the goroutine runs: no wait for it
                    (WaitGroup, channel operation, select, join) follows on every path
    loop-capture    goro::go in a loop captures a loop variable by reference: shared by every
                    iteration, or destroyed at the end of each one
    waitgroup-add   WaitGroup::add called inside the goroutine it counts
    closed-channel  a send or a second close after close() on the same channel, later in the
                    same block
    nil-channel     send, recv or close on a default-constructed channel never assigned
    lock-unlock     Mutex::lock with a path out of the function that does not unlock

A comment NOLINT(goro-CHECK) on a line (NOLINTNEXTLINE(goro-CHECK) on the line before) silences
CHECK there; NOLINT alone or goro-* silences every check.

Which compiler flags each file is parsed with:
    -p BUILD_DIR    the build's compile_commands.json (CMake: -DCMAKE_EXPORT_COMPILE_COMMANDS=ON);
                    with no FILES, every C++ file it lists
    -- FLAGS        these flags, for FILES named without -p (with -p: added to each command)
    neither         the nearest compile_commands.json above each file, else goro's defaults
goro's include directory and -std=c++20 (unless the flags name another -std) are always given.

Flags:
    -j N            translation units analysed at once (default: one per CPU)
    --sarif FILE    also write the warnings as a SARIF 2.1.0 log (code scanning)

Exit status: 0 when nothing was found, 1 when vet warned, 2 on wrong usage or when a file could
not be parsed (clang's errors are printed; the other files are still checked).
)usage",
    run_vet,
};

}  // namespace goro::driver
