// What every C++ benchmark program shares, goro and Boost.Fiber alike: the size argument, the timer
// around the measured section, and the two output lines bench/run parses.
//
// Protocol (the Go programs in bench/go follow it too):
//   argv[1]   optional: the workload's size N, overriding its default (bench/run always passes it;
//             small values make quick correctness checks).
//   stdout    `NS <nanoseconds>` — wall time of the measured section only (runtime start-up and
//             thread creation excluded), which bench/run prefers over its own outside timing;
//             `RESULT <name> <check>` — the check value, the same in every implementation for one
//             N.
//
// Example:
//   int main(int argc, char** argv) {
//     const int64_t n = bench::size_arg(argc, argv, 1'000'000);
//     bench::stopwatch timer;
//     int64_t sum = work(n);
//     bench::report("name", sum, timer.elapsed_ns());
//   }
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace bench {

// argv[1] as a positive integer, or `fallback` when absent. A malformed value exits with status 2.
inline int64_t size_arg(int argc, char** argv, int64_t fallback) {
  if (argc < 2) return fallback;
  char* end = nullptr;
  const long long n = std::strtoll(argv[1], &end, 10);
  if (end == argv[1] || *end != '\0' || n <= 0) {
    std::fprintf(stderr, "usage: %s [N]  (N a positive integer, got '%s')\n", argv[0], argv[1]);
    std::exit(2);
  }
  return n;
}

// Wall time since construction, on the monotonic clock.
class stopwatch {
 public:
  int64_t elapsed_ns() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(clock::now() - start_).count();
  }

 private:
  using clock = std::chrono::steady_clock;
  clock::time_point start_ = clock::now();
};

// Raises the soft limit on open descriptors to the hard limit and returns it, as Go programs do at
// start-up since Go 1.19: the network benchmarks hold thousands of sockets, beyond the usual soft
// limit of 1024.
inline int64_t raise_open_file_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
    getrlimit(RLIMIT_NOFILE, &lim);
  }
  return static_cast<int64_t>(lim.rlim_cur);
}

inline void report(const char* name, int64_t check, int64_t ns) {
  std::printf("NS %lld\nRESULT %s %lld\n", static_cast<long long>(ns), name,
              static_cast<long long>(check));
  std::fflush(stdout);
}

}  // namespace bench
