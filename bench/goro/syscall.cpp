// syscall (goro): N short system calls, each through goro::blocking() — getppid(), which returns
// at once, so the figure is what entering and leaving the blocking-call state costs per call.
// Check: how many calls returned the parent's pid, N.
// Twin: bench/go/syscall/main.go (syscall.Syscall, the path that tells Go's scheduler).
#include <unistd.h>

#include <goro/goro.hpp>

#include "bench_harness.hpp"

int main(int argc, char** argv) {
  const int64_t n = bench::size_arg(argc, argv, 1'000'000);
  return goro::run([n] {
    const pid_t parent = getppid();
    bench::stopwatch timer;
    int64_t same = 0;
    for (int64_t i = 0; i < n; ++i) {
      same += goro::blocking([] { return getppid(); }) == parent;
    }
    bench::report("syscall", same, timer.elapsed_ns());
    return 0;
  });
}
