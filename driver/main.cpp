// goro: the command-line entry point. Dispatches to a subcommand and owns the help and version
// text.
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

int run_version(std::span<const std::string> args) {
  if (!args.empty()) throw failure(kUsageExit, "goro version: unexpected argument " + args[0]);
  std::printf("goro version %s %.*s/%.*s\n", GORO_VERSION, static_cast<int>(kOs.size()), kOs.data(),
              static_cast<int>(kArch.size()), kArch.data());
  return 0;
}

const command version_command = {
    "version",
    "print goro version",
    "usage: goro version\n\nVersion prints the goro version and the platform it runs on.\n",
    run_version,
};

const command* const kCommands[] = {&cxx_command, &run_command, &flags_command, &report_command,
                                    &version_command};

const command* find_command(std::string_view name) {
  for (const command* c : kCommands) {
    if (c->name == name) return c;
  }
  return nullptr;
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
  for (const command* c : kCommands) {
    std::fprintf(out, "\t%-10.*s %.*s\n", static_cast<int>(c->name.size()), c->name.data(),
                 static_cast<int>(c->summary.size()), c->summary.data());
  }
  std::fputs("\nUse \"goro help <command>\" for more information about a command.\n", out);
}

int run_help(std::span<const std::string> args) {
  if (args.empty()) {
    print_usage(stdout);
    return 0;
  }
  if (args.size() > 1) {
    throw failure(kUsageExit, "usage: goro help command\n\nToo many arguments given.");
  }
  const command* c = find_command(args[0]);
  if (c == nullptr) {
    throw failure(kUsageExit, "goro help " + args[0] + ": unknown help topic. Run 'goro help'.");
  }
  std::fwrite(c->usage.data(), 1, c->usage.size(), stdout);
  return 0;
}

int dispatch(std::span<const std::string> args) {
  if (args.empty()) {
    print_usage(stderr);
    return kUsageExit;
  }
  const std::string& name = args[0];
  if (name == "help" || name == "-h" || name == "-help" || name == "--help") {
    return run_help(args.subspan(1));
  }
  const command* c = find_command(name);
  if (c == nullptr) {
    throw failure(kUsageExit, "goro: unknown command \"" + name + "\"\nRun 'goro help' for usage.");
  }
  return c->run(args.subspan(1));
}

}  // namespace
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
