// goro::WaitGroup: waiting for all, several waiters, reuse, the negative-counter panic, and the
// deadlock report.
#include <atomic>
#include <string>
#include <type_traits>
#include <vector>

#include "sched/sched.hpp"
#include "support/goro_test.hpp"

namespace {

static_assert(!std::is_copy_constructible_v<goro::WaitGroup> &&
              !std::is_move_constructible_v<goro::WaitGroup>);

class WaitGroupTest : public goro_test::procs_test {};

TEST_P(WaitGroupTest, WaitReturnsOnceEveryGoroutineIsDone) {
  run_in_goro([] {
    constexpr int kN = 1000;
    goro::WaitGroup wg;
    std::vector<int> marks(kN, 0);  // plain ints: done() must publish them to wait()
    wg.add(kN);
    for (int i = 0; i < kN; ++i) {
      goro::go([&, i] {
        if (i % 7 == 0) goro::yield();
        marks[i] = i + 1;
        wg.done();
      });
    }
    wg.wait();
    for (int i = 0; i < kN; ++i) ASSERT_EQ(marks[i], i + 1);
  });
}

TEST_P(WaitGroupTest, WaitWithZeroCounterReturnsAtOnce) {
  run_in_goro([] {
    goro::WaitGroup wg;
    wg.wait();
    wg.add(2);
    wg.add(-2);
    wg.wait();
  });
}

TEST_P(WaitGroupTest, EveryWaiterIsReleased) {
  run_in_goro([] {
    constexpr int kWaiters = 10;
    goro::WaitGroup work;
    goro::WaitGroup waiters;
    std::atomic<int> released{0};
    work.add(1);
    waiters.add(kWaiters);
    for (int i = 0; i < kWaiters; ++i) {
      goro::go([&] {
        work.wait();
        released.fetch_add(1);
        waiters.done();
      });
    }
    for (int i = 0; i < 100; ++i) goro::yield();  // let them park
    EXPECT_EQ(released.load(), 0);
    work.done();
    waiters.wait();
    EXPECT_EQ(released.load(), kWaiters);
  });
}

TEST_P(WaitGroupTest, CanBeReusedAfterWaitReturns) {
  run_in_goro([] {
    goro::WaitGroup wg;
    int total = 0;
    for (int round = 0; round < 200; ++round) {
      std::atomic<int> count{0};
      wg.add(3);
      for (int i = 0; i < 3; ++i) {
        goro::go([&] {
          count.fetch_add(1);
          wg.done();
        });
      }
      wg.wait();
      total += count.load();
    }
    EXPECT_EQ(total, 600);
  });
}

// The common shape: a WaitGroup on the stack of a function that returns as soon as wait() does,
// while the goroutine that called done() may still be inside it. Run under ASan to see a
// use-after-return; here it must at least neither crash nor hang.
int fan_out_and_wait(int n) {
  goro::WaitGroup wg;
  std::atomic<int> ran{0};
  wg.add(n);
  for (int i = 0; i < n; ++i) {
    goro::go([&] {
      ran.fetch_add(1);
      wg.done();  // the last one: wait() may return and free wg before done() has returned
    });
  }
  wg.wait();
  return ran.load();
}

TEST_P(WaitGroupTest, StackWaitGroupMayGoAwayWhenWaitReturns) {
  run_in_goro([] {
    long total = 0;
    for (int round = 0; round < 2000; ++round) total += fan_out_and_wait(1 + round % 4);
    long expected = 0;
    for (int round = 0; round < 2000; ++round) expected += 1 + round % 4;
    EXPECT_EQ(total, expected);
  });
}

TEST_P(WaitGroupTest, NegativeCounterPanics) {
  run_in_goro([] {
    goro::WaitGroup wg;
    EXPECT_THROW(
        {
          try {
            wg.done();
          } catch (const goro::panic_error& e) {
            EXPECT_EQ(std::string(e.what()), "sync: negative WaitGroup counter");
            throw;
          }
        },
        goro::panic_error);
  });
}

TEST_P(WaitGroupTest, NegativeAddPanicsInAnotherGoroutineToo) {
  run_in_goro([] {
    goro::WaitGroup wg;
    goro::WaitGroup finished;
    std::string message;
    wg.add(1);
    finished.add(1);
    goro::go([&] {
      try {
        wg.add(-2);
      } catch (const goro::panic_error& e) {
        message = e.what();
      }
      finished.done();
    });
    finished.wait();
    EXPECT_EQ(message, "sync: negative WaitGroup counter");
  });
}

GORO_INSTANTIATE_PROCS(WaitGroupTest);

TEST(WaitGroupDeathTest, WaitingForAnAddThatIsNeverDoneIsADeadlock) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                goro::WaitGroup wg;
                wg.add(1);
                wg.wait();
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!.*goroutine 1 "
              "\\[sync.WaitGroup.Wait\\]:");
}

TEST(WaitGroupDeathTest, UncaughtNegativeCounterPanicExits2) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                goro::WaitGroup wg;
                wg.done();
              }),
              ::testing::ExitedWithCode(2), "panic: sync: negative WaitGroup counter");
}

}  // namespace
