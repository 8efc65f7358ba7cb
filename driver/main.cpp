// goro: the command-line entry point. Dispatches to a subcommand, keeps the table of commands and
// owns `goro version` (help.cpp has the help).
//
// Conventions follow Go's tool: usage errors exit 2 with one line naming the command; `goro help`
// prints to stdout and exits 0, a bare `goro` prints the same text to stderr and exits 2.
#include <cstdio>
#include <exception>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "command.hpp"
#include "help.hpp"

#ifndef GORO_VERSION
#error "GORO_VERSION must be defined by the build (the CMake project version)"
#endif

namespace goro::driver {
namespace {

#if defined(__x86_64__)
constexpr std::string_view kArch = "amd64";
#elif defined(__aarch64__)
constexpr std::string_view kArch = "arm64";
#elif defined(__i386__)
constexpr std::string_view kArch = "386";
#else
constexpr std::string_view kArch = "unknown";
#endif

#if defined(__linux__)
constexpr std::string_view kOs = "linux";
#else
constexpr std::string_view kOs = "unknown";
#endif

extern const command version_command;

int run_version(std::span<const std::string> args) {
  if (asks_for_help(args)) return print_help(version_command);
  if (!args.empty() && args[0].starts_with("-")) {
    throw failure(kUsageExit, "goro version: unknown flag " + args[0] + " (-h or --help)");
  }
  if (!args.empty()) throw failure(kUsageExit, "goro version: unexpected argument " + args[0]);
  std::printf("goro version %s %.*s/%.*s\n", GORO_VERSION, static_cast<int>(kOs.size()), kOs.data(),
              static_cast<int>(kArch.size()), kArch.data());
  return 0;
}

const command version_command = {
    "version",
    "print goro version",
    "usage: goro version\n\nVersion prints the goro version and the platform it runs on.\n"
    "goro --version does the same.\n",
    run_version,
};

const command* const kCommands[] = {&cxx_command,    &run_command,    &flags_command,
                                    &report_command, &stress_command, &trace_command,
                                    &vet_command,    &version_command};

const command* find_command(std::string_view name) {
  for (const command* c : kCommands) {
    if (c->name == name) return c;
  }
  return nullptr;
}

int dispatch(std::span<const std::string> args) {
  if (args.empty()) {
    print_usage(stderr);
    return kUsageExit;
  }
  const std::string& name = args[0];
  if (name == "help" || is_help_flag(name)) return run_help(args.subspan(1));
  if (name == "--version") return run_version(args.subspan(1));
  const command* c = find_command(name);
  if (c == nullptr) {
    throw failure(kUsageExit, "goro: unknown command \"" + name + "\"\nRun 'goro help' for usage.");
  }
  return c->run(args.subspan(1));
}

}  // namespace

std::span<const command* const> all_commands() { return kCommands; }

}  // namespace goro::driver

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return goro::driver::dispatch(args);
  } catch (const goro::driver::failure& f) {
    std::fflush(stdout);
    std::fprintf(stderr, "%s\n", f.what());
    return f.status();
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "goro: %s\n", e.what());
    return goro::driver::kUsageExit;
  }
}
