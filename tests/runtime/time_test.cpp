// Timers: sleep, after, Timer stop/reset (Go 1.23: no stale value after they return), Ticker,
// after_func, and their interplay with the deadlock check.
#include <atomic>
#include <chrono>

#include "support/goro_test.hpp"

namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

class TimeTest : public goro_test::procs_test {};

TEST_P(TimeTest, SleepLastsAtLeastItsDuration) {
  run_in_goro([] {
    auto start = clock_type::now();
    goro::sleep(20ms);
    EXPECT_GE(clock_type::now() - start, 20ms);
  });
}

TEST_P(TimeTest, ManySleepersAllWake) {
  run_in_goro([] {
    constexpr int kN = 1000;
    goro::WaitGroup wg;
    wg.add(kN);
    for (int i = 0; i < kN; ++i) {
      goro::go([&wg, i] {
        goro::sleep(std::chrono::microseconds(100 * (i % 20)));
        wg.done();
      });
    }
    wg.wait();
  });
}

TEST_P(TimeTest, AfterDeliversOnce) {
  run_in_goro([] {
    auto start = clock_type::now();
    auto c = goro::after(10ms);
    goro::time_point t = c.recv();
    EXPECT_GE(t - start, 10ms);
    EXPECT_FALSE(c.try_recv().has_value());
  });
}

TEST_P(TimeTest, StopBeforeExpiryPreventsDelivery) {
  run_in_goro([] {
    goro::Timer t(1h);
    EXPECT_TRUE(t.stop());
    EXPECT_FALSE(t.stop());
    EXPECT_FALSE(t.c().try_recv().has_value());
  });
}

TEST_P(TimeTest, StopAfterExpiryDrainsTheUnreceivedValue) {
  run_in_goro([] {
    goro::Timer t(1ms);
    goro::sleep(20ms);
    EXPECT_TRUE(t.stop());  // fired but not received: Go 1.23 reports it as stopped
    EXPECT_FALSE(t.c().try_recv().has_value());
  });
}

TEST_P(TimeTest, ResetRearmsWithoutStaleValue) {
  run_in_goro([] {
    goro::Timer t(1ms);
    goro::sleep(10ms);
    auto before_reset = clock_type::now();
    t.reset(10ms);
    goro::time_point fired = t.c().recv();
    EXPECT_GE(fired - before_reset, 10ms);
  });
}

TEST_P(TimeTest, TickerTicksRepeatedlyUntilStopped) {
  run_in_goro([] {
    goro::Ticker tick(2ms);
    for (int i = 0; i < 3; ++i) tick.c().recv();
    tick.stop();
    goro::sleep(10ms);
    EXPECT_FALSE(tick.c().try_recv().has_value());
  });
}

TEST_P(TimeTest, AfterFuncRunsInItsOwnGoroutineEvenIfDiscarded) {
  run_in_goro([] {
    auto done = goro::make_chan<int>(1);
    goro::after_func(1ms, [done] { done.send(7); });
    EXPECT_EQ(done.recv(), 7);
  });
}

TEST_P(TimeTest, AfterFuncStoppedNeverRuns) {
  run_in_goro([] {
    std::atomic<bool> ran{false};
    goro::Timer t = goro::after_func(5ms, [&ran] { ran = true; });
    EXPECT_TRUE(t.stop());
    goro::sleep(20ms);
    EXPECT_FALSE(ran.load());
  });
}

TEST_P(TimeTest, SelectWithTimeout) {
  run_in_goro([] {
    auto never = goro::make_chan<int>();
    int taken = goro::select(goro::recv_case(never), goro::recv_case(goro::after(5ms)));
    EXPECT_EQ(taken, 1);
  });
}

// Go's when(): a duration past the end of the clock saturates instead of wrapping into the past.
TEST_P(TimeTest, HugeDurationsNeverFire) {
  run_in_goro([] {
    const auto forever = std::chrono::nanoseconds::max();
    int taken =
        goro::select(goro::recv_case(goro::after(forever)), goro::recv_case(goro::after(25ms)));
    EXPECT_EQ(taken, 1);
    goro::Timer t(forever);
    goro::sleep(5ms);
    EXPECT_FALSE(t.c().try_recv().has_value());
    EXPECT_TRUE(t.stop());
    goro::Timer r(1ms);
    EXPECT_TRUE(r.reset(forever));
    goro::sleep(5ms);
    EXPECT_FALSE(r.c().try_recv().has_value());
    EXPECT_TRUE(r.stop());
    goro::Ticker ticker(forever);
    goro::sleep(5ms);
    EXPECT_FALSE(ticker.c().try_recv().has_value());
    auto started = clock_type::now();
    goro::go([] { goro::sleep(std::chrono::nanoseconds::max()); });  // parks, never wakes
    EXPECT_LT(clock_type::now() - started, 1h);
  });
}

TEST_P(TimeTest, NegativeDurationsFireAtOnce) {
  run_in_goro([] {
    const auto past = std::chrono::nanoseconds::min();
    int taken = goro::select(goro::recv_case(goro::after(past)), goro::recv_case(goro::after(1h)));
    EXPECT_EQ(taken, 0);
    goro::Timer t(-1s);
    t.c().recv();
    EXPECT_FALSE(t.stop());
    goro::sleep(past);  // returns at once
  });
}

TEST_P(TimeTest, SleepingMainIsNotADeadlock) {
  EXPECT_EXIT(goro_test::run_in_goro([] { goro::sleep(10ms); }, GetParam()),
              ::testing::ExitedWithCode(0), "");
}

TEST_P(TimeTest, DeadlockIsReportedOnceTheLastTimerFired) {
  EXPECT_EXIT(
      goro_test::run_in_goro(
          [] {
            goro::after(5ms);
            goro::make_chan<int>().recv();
          },
          GetParam()),
      ::testing::ExitedWithCode(2),
      "fatal error: all goroutines are asleep - deadlock!(.|\n)*goroutine 1 \\[chan receive\\]:");
}

GORO_INSTANTIATE_PROCS(TimeTest);

}  // namespace
