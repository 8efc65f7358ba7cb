// synctest: a bubble's fake clock (sleep, timers, tickers, after_func, select timeouts), when it
// may move (durably blocked members only), wait(), run()'s end, and the deadlock and misuse
// panics. Go's testing/synctest examples are ported here (the context timeout, the ticker, the
// timer reset).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "support/goro_test.hpp"

namespace {

using namespace std::chrono_literals;

class SynctestTest : public goro_test::procs_test {};

using goro_test::panic_message;

TEST_P(SynctestTest, SleepMovesTheClockByExactlyItsDuration) {
  run_in_goro([] {
    auto real_start = std::chrono::steady_clock::now();
    goro::synctest::run([] {
      auto start = goro::now();
      goro::sleep(1h);
      EXPECT_EQ(goro::now() - start, 1h);
      goro::sleep(1ns);
      EXPECT_EQ(goro::now() - start, 1h + 1ns);
    });
    // A bound, not a measurement: an hour of the bubble's time is not an hour of the test's.
    EXPECT_LT(std::chrono::steady_clock::now() - real_start, 60s);
  });
}

TEST_P(SynctestTest, EveryBubbleStartsAtTheSameInstant) {
  run_in_goro([] {
    for (int i = 0; i < 2; ++i) {
      goro::synctest::run(
          [] { EXPECT_EQ(goro::now().time_since_epoch(), std::chrono::seconds(946'684'800)); });
    }
  });
}

// Go's synctest example: a context's deadline, checked one nanosecond before and at it.
TEST_P(SynctestTest, ContextLikeTimeoutExpiresExactlyAtItsDeadline) {
  run_in_goro([] {
    goro::synctest::run([] {
      constexpr auto kTimeout = 5s;
      auto done = goro::make_chan<int>();
      goro::Timer cancel = goro::after_func(kTimeout, [done] { done.close(); });
      auto is_done = [done] {
        bool closed = false;
        goro::select(goro::recv_case(done, [&] { closed = true; }), goro::default_case());
        return closed;
      };
      goro::sleep(kTimeout - 1ns);
      goro::synctest::wait();
      EXPECT_FALSE(is_done());
      goro::sleep(1ns);
      goro::synctest::wait();
      EXPECT_TRUE(is_done());
      cancel.stop();
    });
  });
}

// Go's synctest example: a ticker's ticks carry the instants they were due at.
TEST_P(SynctestTest, TickerTicksOnTheBubblesClock) {
  run_in_goro([] {
    goro::synctest::run([] {
      const goro::time_point start = goro::now();
      goro::Ticker tick(1s);
      for (int i = 1; i <= 3; ++i) EXPECT_EQ(tick.c().recv() - start, std::chrono::seconds(i));
      tick.stop();
      EXPECT_EQ(goro::now() - start, 3s);
    });
  });
}

// Go's synctest example: Reset moves a timer's expiry from the time of the reset.
TEST_P(SynctestTest, TimerResetCountsFromTheReset) {
  run_in_goro([] {
    goro::synctest::run([] {
      const goro::time_point start = goro::now();
      goro::Timer t(10s);
      goro::sleep(5s);
      EXPECT_TRUE(t.reset(10s));
      goro::sleep(10s - 1ns);
      goro::synctest::wait();
      EXPECT_FALSE(t.c().try_recv().has_value());
      goro::sleep(1ns);
      goro::synctest::wait();
      std::optional<goro::time_point> fired = t.c().try_recv();
      ASSERT_TRUE(fired.has_value());
      EXPECT_EQ(*fired - start, 15s);
    });
  });
}

TEST_P(SynctestTest, SelectTimesOutOnTheBubblesClock) {
  run_in_goro([] {
    goro::synctest::run([] {
      const goro::time_point start = goro::now();
      auto results = goro::make_chan<int>();
      int chosen = goro::select(goro::recv_case(results), goro::recv_case(goro::after(30s)));
      EXPECT_EQ(chosen, 1);
      EXPECT_EQ(goro::now() - start, 30s);
    });
  });
}

TEST_P(SynctestTest, AfterFuncRunsInTheBubble) {
  run_in_goro([] {
    goro::synctest::run([] {
      const goro::time_point start = goro::now();
      auto seen = goro::make_chan<goro::time_point>(1);
      goro::after_func(2s, [seen] {
        goro::sleep(1h);  // the bubble's hour: the goroutine is a member
        seen.send(goro::now());
      });
      EXPECT_EQ(seen.recv() - start, 2s + 1h);
    });
  });
}

TEST_P(SynctestTest, WaitReturnsOnceTheOthersAreDurablyBlocked) {
  run_in_goro([] {
    goro::synctest::run([] {
      auto never = goro::make_chan<int>();
      int written = 0;
      goro::go([never, &written] {
        for (int i = 0; i < 100; ++i) goro::yield();
        written = 42;
        never.recv();  // durably blocked: a channel of the bubble
      });
      goro::synctest::wait();
      EXPECT_EQ(written, 42);  // and no race: wait() is ordered after what the others did
      never.close();
    });
  });
}

TEST_P(SynctestTest, RunReturnsOnlyWhenEveryMemberHasReturned) {
  run_in_goro([] {
    std::atomic<int> finished{0};
    goro::synctest::run([&finished] {
      for (int i = 0; i < 3; ++i) {
        goro::go([&finished] {
          for (int j = 0; j < 100; ++j) goro::yield();  // running, never blocked
          finished.fetch_add(1);
        });
      }
    });
    EXPECT_EQ(finished.load(), 3);
  });
}

// Go 1.25: once the main goroutine has returned the clock stands still, so a member asleep then
// never wakes (a deadlock), and a timer still armed never fires.
TEST_P(SynctestTest, TheClockStopsWhenTheMainGoroutineReturns) {
  run_in_goro([] {
    EXPECT_EQ(panic_message([] { goro::synctest::run([] { goro::go([] { goro::sleep(1h); }); }); }),
              "deadlock: main bubble goroutine has exited but blocked goroutines remain");
    std::atomic<bool> called{false};
    goro::synctest::run([&called] { goro::after_func(1h, [&called] { called.store(true); }); });
    EXPECT_FALSE(called.load());
  });
}

// Every timer due at an instant fires, and what it wakes runs and blocks, before wait() returns
// to a member woken at that instant (by its own sleep or by one of those timers).
TEST_P(SynctestTest, WaitSeesEveryTimerOfTheInstantFired) {
  run_in_goro([] {
    for (int round = 0; round < 200; ++round) {
      constexpr int kTimers = 10;
      std::atomic<int> ran{0};
      int seen = -1;
      goro::synctest::run([&ran, &seen, round] {
        for (int i = 0; i < kTimers; ++i) goro::after_func(5s, [&ran] { ran.fetch_add(1); });
        if (round % 2 == 0) {
          goro::sleep(5s);
        } else {
          auto woken = goro::make_chan<int>();
          goro::after_func(5s, [woken] { woken.close(); });
          woken.recv();
        }
        goro::synctest::wait();
        seen = ran.load();
      });
      ASSERT_EQ(seen, kTimers) << "round " << round;
    }
  });
}

TEST_P(SynctestTest, ASleepToTheEndOfTimeReturnsThere) {
  run_in_goro([] {
    goro::synctest::run([] {
      goro::sleep(std::chrono::nanoseconds::max());
      EXPECT_EQ(goro::now().time_since_epoch(), std::chrono::nanoseconds::max());
    });
  });
}

TEST_P(SynctestTest, AChannelFromOutsideIsNotDurable) {
  run_in_goro([] {
    auto from_outside = goro::make_chan<int>();
    goro::go([from_outside] {
      goro::sleep(5ms);  // outside: the real clock
      from_outside.send(7);
    });
    std::atomic<int> got{0};
    goro::synctest::run([from_outside, &got] {
      goro::go([from_outside, &got] { got.store(from_outside.recv()); });
      // The receiver waits on the outside, so the clock stands still until it has its value.
      goro::sleep(1h);
      EXPECT_EQ(got.load(), 7);
    });
  });
}

TEST_P(SynctestTest, AMutexWaitIsNotDurable) {
  run_in_goro([] {
    goro::Mutex mu;
    mu.lock();
    goro::go([&mu] {
      goro::sleep(5ms);  // outside: the real clock
      mu.unlock();
    });
    std::atomic<bool> locked{false};
    goro::synctest::run([&mu, &locked] {
      goro::go([&mu, &locked] {
        mu.lock();
        locked.store(true);
        mu.unlock();
      });
      goro::sleep(1h);
      EXPECT_TRUE(locked.load());
    });
  });
}

TEST_P(SynctestTest, ABlockingCallIsNotDurable) {
  run_in_goro([] {
    std::atomic<bool> returned{false};
    goro::synctest::run([&returned] {
      goro::go([&returned] {
        goro::blocking([] { std::this_thread::sleep_for(5ms); });
        returned.store(true);
      });
      goro::sleep(1h);
      EXPECT_TRUE(returned.load());
    });
  });
}

TEST_P(SynctestTest, AllBlockedWithNoTimerPanicsInRunsCaller) {
  run_in_goro([] {
    EXPECT_EQ(panic_message([] { goro::synctest::run([] { goro::make_chan<int>().recv(); }); }),
              "deadlock: all goroutines in bubble are blocked");
  });
}

TEST_P(SynctestTest, BlockedMembersAfterMainReturnedPanicInRunsCaller) {
  run_in_goro([] {
    EXPECT_EQ(panic_message([] {
                goro::synctest::run([] {
                  goro::go([] { goro::make_chan<int>().send(1); });
                  goro::sleep(1s);
                });
              }),
              "deadlock: main bubble goroutine has exited but blocked goroutines remain");
  });
}

TEST_P(SynctestTest, MisusePanics) {
  run_in_goro([] {
    EXPECT_EQ(panic_message([] { goro::synctest::wait(); }),
              "synctest.Wait not called from within a bubble");
    std::string nested;
    goro::synctest::run([&nested] { nested = panic_message([] { goro::synctest::run([] {}); }); });
    EXPECT_EQ(nested, "synctest.Run called from within a synctest bubble");
  });
}

TEST_P(SynctestTest, WaitFromTwoGoroutinesAtOncePanics) {
  run_in_goro([] {
    // Whichever waits first cannot return before the other is durably blocked, so the other's
    // wait() finds it waiting and panics; that one then blocks, and the first one wakes it.
    std::string main_says, other_says;
    goro::synctest::run([&main_says, &other_says] {
      auto to_main = goro::make_chan<int>();
      auto to_other = goro::make_chan<int>();
      goro::go([to_main, to_other, &other_says] {
        other_says = panic_message([] { goro::synctest::wait(); });
        if (other_says.empty()) {
          to_main.send(1);
        } else {
          to_other.recv();
        }
      });
      main_says = panic_message([] { goro::synctest::wait(); });
      if (main_says.empty()) {
        to_other.send(1);
      } else {
        to_main.recv();
      }
    });
    EXPECT_EQ(main_says + other_says, "synctest.Wait called from multiple goroutines");
  });
}

TEST_P(SynctestTest, ATimersChannelMadeInTheBubbleWorksAfterIt) {
  // The bubble's root fires its timers and drains a stopped one's channel: the runtime's own use
  // of a bubble's channel from outside is not the user's.
  run_in_goro([] {
    goro::synctest::run([] {
      goro::Timer fired(1s);
      goro::Timer stopped(2s);
      fired.c().recv();
      EXPECT_TRUE(stopped.stop());
    });
  });
}

GORO_INSTANTIATE_PROCS(SynctestTest);

// ---- a bubble's channel used from outside it (death tests fork before goro::run)

// A channel made in a bubble, handed out of it once run() has returned.
goro::chan<int> bubbled(std::size_t cap = 0) {
  goro::chan<int> c;
  goro::synctest::run([&c, cap] { c = goro::make_chan<int>(cap); });
  return c;
}

constexpr const char* kFromOutside = "fatal error: %s on synctest channel from outside bubble";

std::string from_outside(const char* op) {
  char text[96];
  std::snprintf(text, sizeof text, kFromOutside, op);
  return text;
}

TEST(SynctestDeathTest, SendFromOutsideTheBubbleIsFatal) {
  EXPECT_EXIT(goro_test::run_in_goro([] { bubbled(1).send(1); }), ::testing::ExitedWithCode(2),
              from_outside("send"));
}

TEST(SynctestDeathTest, ReceiveFromOutsideTheBubbleIsFatal) {
  EXPECT_EXIT(goro_test::run_in_goro([] { bubbled(1).try_recv(); }), ::testing::ExitedWithCode(2),
              from_outside("receive"));
}

TEST(SynctestDeathTest, CloseFromOutsideTheBubbleIsFatal) {
  EXPECT_EXIT(goro_test::run_in_goro([] { bubbled().close(); }), ::testing::ExitedWithCode(2),
              from_outside("close"));
}

TEST(SynctestDeathTest, SelectFromOutsideTheBubbleIsFatal) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                auto mine = goro::make_chan<int>(1);
                auto theirs = bubbled(1);
                mine.send(1);
                goro::select(goro::recv_case(mine, [](int) {}),
                             goro::recv_case(theirs, [](int) {}));
              }),
              ::testing::ExitedWithCode(2), from_outside("select"));
}

TEST(SynctestDeathTest, AMemberOfAnotherBubbleIsOutside) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                auto first = bubbled(1);
                goro::synctest::run([first] { first.try_send(1); });
              }),
              ::testing::ExitedWithCode(2), from_outside("send"));
}

TEST(SynctestDeathTest, AThreadOutsideGoroRunIsOutside) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                auto c = bubbled(1);
                std::thread([c] { c.try_send(1); }).join();
              }),
              ::testing::ExitedWithCode(2), from_outside("send"));
}

}  // namespace
