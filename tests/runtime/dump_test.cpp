// How a goro program ends: deadlock reports, uncaught panics, exit codes, goroutine dumps.
//
// These are death tests: gtest forks (the "fast" style, see goro_test_main.cpp) before goro::run()
// is called, the child runs the program and the parent checks its exit status and stderr. The
// stderr regexes are POSIX extended regexes, where '.' also matches a newline.
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <utility>

#include "sched/sched.hpp"
#include "support/goro_test.hpp"
#include "support/latch.hpp"

namespace {

using goro_test::latch;
using ::testing::ExitedWithCode;

// A death-test stderr matcher from a predicate, for what a regex cannot say (absence, counts).
class stderr_predicate : public ::testing::MatcherInterface<const std::string&> {
 public:
  stderr_predicate(std::string what, std::function<bool(const std::string&)> pred)
      : what_(std::move(what)), pred_(std::move(pred)) {}
  bool MatchAndExplain(const std::string& s, ::testing::MatchResultListener*) const override {
    return pred_(s);
  }
  void DescribeTo(std::ostream* os) const override { *os << what_; }

 private:
  std::string what_;
  std::function<bool(const std::string&)> pred_;
};

::testing::Matcher<const std::string&> stderr_that(std::string what,
                                                   std::function<bool(const std::string&)> pred) {
  return ::testing::MakeMatcher(new stderr_predicate(std::move(what), std::move(pred)));
}

// How many lines start with `prefix`.
int count_lines_starting_with(const std::string& text, const std::string& prefix) {
  int n = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    if (text.compare(pos, prefix.size(), prefix) == 0) ++n;
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return n;
}

class DumpDeathTest : public goro_test::procs_test {
 protected:
  // Runs body as goroutine 1 in the forked child; the child ends with whatever the program does.
  template <class F>
  [[noreturn]] void child(F&& body) {
    goro_test::run_in_goro(std::forward<F>(body), GetParam());
  }
};

TEST_P(DumpDeathTest, DeadlockWithMainParkedReportsGoroutineOne) {
  EXPECT_EXIT(child([] {
                latch never(1);
                never.wait();
              }),
              ExitedWithCode(2),
              "^fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \\[park\\]:\n");
}

// The parked main goroutine's stack is walked: it names this file.
TEST_P(DumpDeathTest, DeadlockDumpShowsTheParkedStack) {
  EXPECT_EXIT(child([] {
                latch never(1);
                never.wait();
              }),
              ExitedWithCode(2),
              "goroutine 1 \\[park\\]:\n.*\t[^\n]*dump_test\\.cpp:[0-9]+ \\+0x[0-9a-f]+\n");
}

__attribute__((noinline)) void spawn_waiter(latch* never) {
  goro::go([never] { never->wait(); });
}

TEST_P(DumpDeathTest, DeadlockListsEveryGoroutineWithItsCreator) {
  EXPECT_EXIT(child([] {
                static latch never(1);
                static latch also_never(1);
                spawn_waiter(&never);
                also_never.wait();
              }),
              ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!\n\n"
              "goroutine 1 \\[park\\]:\n.*\n\n"
              "goroutine [0-9]+ \\[park\\]:\n.*created by [^\n]+ in goroutine 1\n");
}

// Go names the function that contains the go statement.
TEST_P(DumpDeathTest, CreatedByNamesTheSpawningFunction) {
  EXPECT_EXIT(child([] {
                static latch never(1);
                static latch also_never(1);
                spawn_waiter(&never);
                also_never.wait();
              }),
              ExitedWithCode(2),
              "created by [^\n]*spawn_waiter[^\n]* in goroutine 1\n\t[^\n]*dump_test\\.cpp:[0-9]+");
}

// Between goroutine_entry and the user's function lie goro::detail::closure::invoke and the
// std::apply / std::__invoke machinery it inlines. traceback.cpp drops that glue at the bottom of a
// stack, as Go shows a goroutine's function as its last frame.
TEST_P(DumpDeathTest, SpawnedGoroutineStackHidesTheLaunchGlue) {
  EXPECT_EXIT(child([] {
                static latch never(1);
                static latch also_never(1);
                spawn_waiter(&never);
                also_never.wait();
              }),
              ExitedWithCode(2),
              stderr_that("a spawn_waiter goroutine and no std::apply/std::__invoke frames",
                          [](const std::string& s) {
                            return s.find("spawn_waiter") != std::string::npos &&
                                   s.find("std::apply") == std::string::npos &&
                                   s.find("std::__apply_impl") == std::string::npos &&
                                   s.find("std::__invoke") == std::string::npos;
                          }));
}

// The main goroutine has no creator line.
TEST_P(DumpDeathTest, MainGoroutineHasNoCreatedByLine) {
  EXPECT_EXIT(child([] {
                latch never(1);
                never.wait();
              }),
              ExitedWithCode(2),
              stderr_that("has goroutine 1 and no \"created by\" line", [](const std::string& s) {
                return s.find("goroutine 1 [park]:\n") != std::string::npos &&
                       s.find("created by") == std::string::npos;
              }));
}

TEST_P(DumpDeathTest, DeadlockAfterOtherGoroutinesFinished) {
  EXPECT_EXIT(child([] {
                latch done(8);
                for (int i = 0; i < 8; ++i) goro::go([&done] { done.count_down(); });
                done.wait();
                latch never(1);
                never.wait();
              }),
              ExitedWithCode(2),
              "^fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 \\[park\\]:\n");
}

TEST_P(DumpDeathTest, UncaughtGoroPanicInMain) {
  EXPECT_EXIT(child([] { goro::panic("boom"); }), ExitedWithCode(2),
              "^panic: boom\n\ngoroutine 1 \\[running\\]:\n");
}

__attribute__((noinline)) void throw_runtime_error() { throw std::runtime_error("disk on fire"); }

TEST_P(DumpDeathTest, StdExceptionEscapingASpawnedGoroutine) {
  EXPECT_EXIT(child([] {
                goro::go([] { throw_runtime_error(); });
                latch never(1);
                never.wait();
              }),
              ExitedWithCode(2),
              "^panic: disk on fire\n\ngoroutine ([2-9]|[1-9][0-9]+) \\[running\\]:\n"
              ".*throw_runtime_error");
}

// Only the panicking goroutine is shown (Go's default GOTRACEBACK=single).
TEST_P(DumpDeathTest, PanicShowsOnlyThePanickingGoroutine) {
  EXPECT_EXIT(child([] {
                goro::go([] { throw_runtime_error(); });
                latch never(1);
                never.wait();
              }),
              ExitedWithCode(2),
              stderr_that("exactly one goroutine header", [](const std::string& s) {
                return s.rfind("panic: disk on fire\n", 0) == 0 &&
                       count_lines_starting_with(s, "goroutine ") == 1;
              }));
}

TEST_P(DumpDeathTest, NonStdExceptionPanicsWithItsTypeName) {
  EXPECT_EXIT(child([] {
                goro::go([] { throw 42; });
                latch never(1);
                never.wait();
              }),
              ExitedWithCode(2), "^panic: int\n\ngoroutine [0-9]+ \\[running\\]:\n");
}

struct custom_failure {
  int code;
};

TEST_P(DumpDeathTest, NonStdClassExceptionPanicsWithItsDemangledName) {
  EXPECT_EXIT(child([] { throw custom_failure{3}; }), ExitedWithCode(2),
              "^panic: [^\n]*custom_failure\n\ngoroutine 1 \\[running\\]:\n");
}

TEST_P(DumpDeathTest, PanicErrorEscapingASpawnedGoroutine) {
  EXPECT_EXIT(child([] {
                goro::go([] { goro::panic("from a goroutine"); });
                latch never(1);
                never.wait();
              }),
              ExitedWithCode(2), "^panic: from a goroutine\n\ngoroutine [0-9]+ \\[running\\]:\n");
}

TEST_P(DumpDeathTest, CaughtPanicIsRecovered) {
  EXPECT_EXIT(child([] {
                latch done(1);
                bool recovered = false;
                goro::go([&] {
                  try {
                    goro::panic("recover me");
                  } catch (const goro::panic_error& e) {
                    recovered = std::string(e.what()) == "recover me";
                  }
                  done.count_down();
                });
                try {
                  goro::panic("and me");
                } catch (const std::runtime_error& e) {  // panic_error is a std::runtime_error
                  EXPECT_STREQ(e.what(), "and me");
                }
                done.wait();
                EXPECT_TRUE(recovered);
              }),
              ExitedWithCode(0), "");
}

TEST_P(DumpDeathTest, MainReturnValueIsTheExitStatus) {
  const int procs = GetParam();
  EXPECT_EXIT(
      {
        goro::gomaxprocs(procs);
        goro::run([] { return 7; });
      },
      ExitedWithCode(7), "");
}

TEST_P(DumpDeathTest, VoidMainExitsZeroEvenWithGoroutinesLeft) {
  const int procs = GetParam();
  EXPECT_EXIT(
      {
        goro::gomaxprocs(procs);
        goro::run([] {
          static latch never(1);
          for (int i = 0; i < 4; ++i) goro::go([] { never.wait(); });
          goro::go([] {
            for (;;) goro::yield();
          });
        });
      },
      ExitedWithCode(0), "");
}

TEST_P(DumpDeathTest, RunInsideAGoroutineIsFatal) {
  EXPECT_EXIT(child([] { goro::run([] { return 0; }); }), ExitedWithCode(2),
              "fatal error: goro::run called more than once");
}

TEST_P(DumpDeathTest, RunFromASpawnedGoroutineIsFatal) {
  EXPECT_EXIT(child([] {
                goro::go([] { goro::run([] { return 0; }); });
                latch never(1);
                never.wait();
              }),
              ExitedWithCode(2), "fatal error: goro::run called more than once");
}

// Not a deadlock: a goroutine is in a blocking() call, which will return (Go's rule: a goroutine in
// a system call may wake others).
TEST_P(DumpDeathTest, NoDeadlockWhileAGoroutineIsInABlockingCall) {
  EXPECT_EXIT(child([] {
                latch done(1);
                goro::go([&done] {
                  goro::blocking([] { usleep(200 * 1000); });
                  done.count_down();
                });
                done.wait();
              }),
              ExitedWithCode(0), "");
}

// errno is the goroutine's own: parking, being woken by a goroutine that sets errno itself, and
// resuming (on any M) leaves it as it was.
__attribute__((noinline)) int read_errno() { return errno; }
__attribute__((noinline)) void write_errno(int v) { errno = v; }

TEST_P(DumpDeathTest, ErrnoIsPreservedAcrossParkAndReady) {
  EXPECT_EXIT(child([] {
                write_errno(1234);
                latch ping(1), pong(1), done(1);
                goro::go([&] {
                  write_errno(99);
                  ping.count_down();
                  pong.wait();
                  EXPECT_EQ(read_errno(), 99);
                  done.count_down();
                });
                ping.wait();
                EXPECT_EQ(read_errno(), 1234);
                pong.count_down();
                done.wait();
                EXPECT_EQ(read_errno(), 1234);
                for (int i = 0; i < 100; ++i) {
                  goro::yield();
                  EXPECT_EQ(read_errno(), 1234);
                }
                (void)goro::num_goroutine();
                goro::blocking([] { write_errno(5); });
                // blocking() runs on the goroutine's own thread: what it leaves in errno is
                // visible.
                EXPECT_EQ(read_errno(), 5);
              }),
              ExitedWithCode(0), "");
}

// errno set before run() is not goroutine 1's business, but run() must not crash on it, and a fresh
// goroutine starts with errno 0.
TEST_P(DumpDeathTest, NewGoroutinesStartWithErrnoZero) {
  EXPECT_EXIT(child([] {
                write_errno(77);
                latch done(1);
                int seen = -1;
                goro::go([&] {
                  seen = read_errno();
                  done.count_down();
                });
                done.wait();
                EXPECT_EQ(seen, 0);
              }),
              ExitedWithCode(0), "");
}

GORO_INSTANTIATE_PROCS(DumpDeathTest);

}  // namespace
