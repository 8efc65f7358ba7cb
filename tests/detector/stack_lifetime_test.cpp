// Stack use after return (detector/src/stack_lifetime.hpp), driven through the ABI by hand as the
// plugin's calls would: a variable declared dead and then reached by another goroutine or thread
// is reported; its owner's own reuse, a variable live again, and the word's other bytes are not,
// nor a variable at a dead one's address on the stack of a later goroutine.
#include <thread>

#include "race_test.hpp"

namespace {

using race_test::in_goroutines;
using race_test::latch;
using race_test::read;
using race_test::write;

// The body's reports, in a child process: exactly `n` stack uses after return and no race. Exits
// 66 when n > 0 (the status any report gives), else 0.
#define EXPECT_AFTER_RETURNS(n, ...)                                                      \
  EXPECT_EXIT(race_test::run_expecting_reports("stack use(s) after return",               \
                                               goro::race::after_returns_found, (n),      \
                                               (__VA_ARGS__), GetParam()),                \
              ::testing::ExitedWithCode((n) > 0 ? 66 : 0),                                \
              (n) > 0 ? "WARNING: stack use after return(.|\n)*Found 1 stack use\\(s\\) " \
                        "after return"                                                    \
                      : "")

class StackLifetimeTest : public race_test::procs_test {};

TEST_P(StackLifetimeTest, AnotherGoroutineReachingADeadVariableIsReported) {
  EXPECT_AFTER_RETURNS(1, [] {
    alignas(8) int local = 0;
    write(&local);
    __goro_stack_dead(&local, sizeof local);
    in_goroutines(1, [&](int) { write(&local); });
  });
}

TEST_P(StackLifetimeTest, AReadIsReportedToo) {
  EXPECT_AFTER_RETURNS(1, [] {
    alignas(8) long local = 0;
    __goro_stack_dead(&local, sizeof local);
    in_goroutines(1, [&](int) { read(&local, 8); });
  });
}

TEST_P(StackLifetimeTest, OnePlaceOfUseIsReportedOnce) {
  EXPECT_AFTER_RETURNS(1, [] {
    alignas(8) int a[4] = {};
    __goro_stack_dead(a, sizeof a);
    in_goroutines(3, [&](int i) { write(&a[i]); });  // the same call site each time
  });
}

TEST_P(StackLifetimeTest, TheOwnersLaterFramesReuseTheMemory) {
  EXPECT_AFTER_RETURNS(0, [] {
    alignas(8) int local = 0;
    __goro_stack_dead(&local, sizeof local);
    write(&local);
    read(&local);
  });
}

TEST_P(StackLifetimeTest, AVariableLiveAgainIsOrdinaryMemory) {
  EXPECT_AFTER_RETURNS(0, [] {
    alignas(8) char buf[24];
    __goro_stack_dead(buf, sizeof buf);
    __goro_stack_live(buf + 3, 18);  // a new variable over most of it, not word-aligned
    auto done = goro::make_chan<int>();
    goro::go([&] {
      write(buf + 3, 1);
      write(buf + 12, 8);
      write(buf + 20, 1);
      done.send(1);
    });
    done.recv();
  });
}

TEST_P(StackLifetimeTest, TheWordsOtherBytesStayAlive) {
  EXPECT_AFTER_RETURNS(0, [] {
    alignas(8) int pair[2] = {};
    __goro_stack_dead(&pair[0], sizeof pair[0]);
    in_goroutines(1, [&](int) { write(&pair[1]); });
  });
}

TEST_P(StackLifetimeTest, ALiveVariableReachedBeforeTheDeathIsNotReported) {
  EXPECT_AFTER_RETURNS(0, [] {
    alignas(8) int local = 0;
    auto done = goro::make_chan<int>();
    goro::go([&] {
      write(&local);
      done.send(1);
    });
    done.recv();
    __goro_stack_dead(&local, sizeof local);
  });
}

TEST_P(StackLifetimeTest, APlainThreadReachingADeadVariableIsReported) {
  EXPECT_AFTER_RETURNS(1, [] {
    alignas(8) int local = 0;
    __goro_stack_dead(&local, sizeof local);
    // A thread has its own context; joining it is an edge, not what makes the variable alive.
    goro::blocking([&] { std::thread([&] { write(&local); }).join(); });
  });
}

TEST_P(StackLifetimeTest, RangesOutsideTheOwnStackAreIgnored) {
  EXPECT_AFTER_RETURNS(0, [] {
    static long global = 0;
    __goro_stack_dead(&global, sizeof global);  // not a stack variable of the caller
    in_goroutines(1, [&](int) { write(&global, 8); });
  });
}

GORO_RACE_INSTANTIATE_PROCS(StackLifetimeTest);

// A goroutine that declares its local dead (and stores nothing else), or lends it to a goroutine of
// its own that writes it. Called as the go statement's function itself, so that both goroutines
// below have the same frames and the local the same address on the same stack.
void kill_or_lend(bool kill, std::uintptr_t* where, latch* done) {
  alignas(8) volatile long local = 0;
  *where = reinterpret_cast<std::uintptr_t>(&local);
  if (kill) {
    __goro_stack_dead(const_cast<long*>(&local), sizeof local);
  } else {
    // Never announced live, as the runtime's own locals are not: a marker left by the goroutine
    // before would still be there.
    latch written(1);
    goro::go([&] {
      write(const_cast<long*>(&local), 8);
      written.count_down();
    });
    written.wait();
  }
  done->count_down();
}

// A goroutine's end forgets its dead variables' markers with the rest of its stack's shadow: the
// next goroutine on the recycled stack lends a variable at the same address, and the write to it is
// no use after return.
TEST(StackLifetimeReuseTest, ADeadMarkerDoesNotOutliveItsGoroutine) {
  EXPECT_EXIT(race_test::run_expecting_reports(
                  "stack use(s) after return", goro::race::after_returns_found, 0,
                  [] {
                    std::uintptr_t first = 0, second = 0;
                    latch killed(1), lent(1);
                    goro::go(kill_or_lend, true, &first, &killed);
                    killed.wait();
                    for (int i = 0; i < 10; ++i) goro::yield();  // it ends; its stack is cached
                    goro::go(kill_or_lend, false, &second, &lent);
                    lent.wait();
                    if (first != second) {
                      std::fprintf(stderr, "stack not reused: %lx vs %lx\n",
                                   static_cast<unsigned long>(first),
                                   static_cast<unsigned long>(second));
                      _exit(4);
                    }
                  },
                  1),
              ::testing::ExitedWithCode(0), "");
}

}  // namespace
