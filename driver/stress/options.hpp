// goro stress's command line: the flags, their defaults, and the program to run.
//
//   goro stress [-n RUNS] [-p PARALLEL] [-timeout D] [--pct D] [--seed-from N] [--json] [-o FILE]
//               [--] PROG [ARGS...]
//
// Flags are Go's: one dash or two, the value after a space or an '='. They end at the first
// argument that is not a flag, or at "--"; what follows is the program and its arguments, so a
// -h after PROG is the program's. Every mistake is a `failure` with exit status 2 and one line
// that names the flag and what it takes.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace goro::driver::stress {

// Runs when -n is not given: Go's x/tools stress runs until stopped; a bound lets CI use it.
inline constexpr std::uint64_t kDefaultRuns = 1000;

// Per-run timeout when -timeout is not given (Go's stress has the same).
inline constexpr std::chrono::nanoseconds kDefaultTimeout = std::chrono::minutes(10);

// The PCT depths the runtime takes (runtime/src/debug/godebug.cpp).
inline constexpr int kMaxPctDepth = 16;

// At most this many programs at once: each costs a process and a file descriptor in the driver.
inline constexpr std::uint64_t kMaxParallel = 4096;

struct options {
  bool help = false;  // -h, -help or --help before PROG
  std::uint64_t runs = kDefaultRuns;
  std::uint64_t parallel = 0;  // 0 until parsed: the number of online CPUs
  std::chrono::nanoseconds timeout = kDefaultTimeout;
  int pct = 0;                             // 0: no PCT
  std::optional<std::uint64_t> seed_from;  // none: a random start
  bool json = false;                       // JSON lines on stdout instead of the text
  std::string output_file;                 // -o: the JSON lines also go here
  std::vector<std::string> program;        // PROG ARGS..., PROG as typed
};

// Parses the arguments after "goro stress". Throws `failure` (exit 2) on any mistake.
options parse_options(std::span<const std::string> args);

// A Go duration ("500ms", "30s", "1h30m", "1.5s"; units ns, us, µs, ms, s, m, h); nullopt when
// `text` is not one, is zero or negative, or does not fit.
std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text);

}  // namespace goro::driver::stress
