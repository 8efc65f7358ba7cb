// select: ready cases, waiting on several channels, default, nil channels, closed channels, the
// same channel twice, callbacks, fairness, many cases, stress and deadlock reports.
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/goro_test.hpp"
#include "support/latch.hpp"

namespace {

using goro_test::latch;

// Waits (yielding) until the goroutine published in g is parked for `reason`.
void wait_until_parked(const std::atomic<goro::sched::G*>& g, goro::sched::wait_reason reason) {
  for (;;) {
    goro::sched::G* p = g.load();
    if (p != nullptr && p->status.load() == goro::sched::g_status::waiting && p->reason == reason) {
      return;
    }
    goro::yield();
  }
}

class SelectTest : public goro_test::procs_test {};

TEST_P(SelectTest, ReceivesFromTheReadyCase) {
  run_in_goro([] {
    auto a = goro::make_chan<int>(1);
    auto b = goro::make_chan<int>(1);
    b.send(5);
    int got = 0;
    int i = goro::select(goro::recv_case(a, [&](int v) { got = v; }),
                         goro::recv_case(b, [&](int v) { got = v; }));
    EXPECT_EQ(i, 1);
    EXPECT_EQ(got, 5);
  });
}

TEST_P(SelectTest, SendsToTheReadyCase) {
  run_in_goro([] {
    auto full = goro::make_chan<int>(1);
    full.send(0);
    auto room = goro::make_chan<int>(1);
    bool called = false;
    int i =
        goro::select(goro::send_case(full, 1), goro::send_case(room, 2, [&] { called = true; }));
    EXPECT_EQ(i, 1);
    EXPECT_TRUE(called);
    EXPECT_EQ(room.recv(), 2);
    EXPECT_EQ(full.len(), 1u);
  });
}

TEST_P(SelectTest, DefaultRunsWhenNothingIsReady) {
  run_in_goro([] {
    auto a = goro::make_chan<int>();
    auto b = goro::make_chan<int>(1);
    b.send(0);  // b is full: a send case on it is not ready
    bool dflt = false;
    int i = goro::select(goro::recv_case(a), goro::send_case(b, 1),
                         goro::default_case([&] { dflt = true; }));
    EXPECT_EQ(i, 2);
    EXPECT_TRUE(dflt);
    EXPECT_EQ(goro::select(goro::default_case(), goro::recv_case(a)), 0);
    EXPECT_EQ(goro::select(goro::default_case()), 0);
  });
}

TEST_P(SelectTest, DefaultIsNotTakenWhenACaseIsReady) {
  run_in_goro([] {
    auto a = goro::make_chan<int>(1);
    a.send(1);
    EXPECT_EQ(goro::select(goro::default_case(), goro::recv_case(a)), 1);
  });
}

TEST_P(SelectTest, WaitsForTheFirstOfSeveralChannels) {
  run_in_goro([] {
    auto a = goro::make_chan<int>();
    auto b = goro::make_chan<std::string>();
    auto c = goro::make_chan<int>();
    std::atomic<goro::sched::G*> selector{nullptr};
    std::atomic<int> which{-1};
    std::string got;
    latch done(1);
    goro::go([&] {
      selector = goro::sched::current_g();
      which = goro::select(goro::recv_case(a), goro::recv_case(b, [&](std::string s) { got = s; }),
                           goro::send_case(c, 3));
      done.count_down();
    });
    wait_until_parked(selector, goro::sched::wait_reason::select);
    b.send("hello");
    done.wait();
    EXPECT_EQ(which.load(), 1);
    EXPECT_EQ(got, "hello");
    // The select took its other waiters back: nobody waits on a or c any more.
    EXPECT_FALSE(a.try_send(1));
    EXPECT_FALSE(c.try_recv().has_value());
  });
}

TEST_P(SelectTest, AParkedSendCaseHandsItsValueToAReceiver) {
  run_in_goro([] {
    auto a = goro::make_chan<std::unique_ptr<int>>();
    auto b = goro::make_chan<int>();
    std::atomic<goro::sched::G*> selector{nullptr};
    std::atomic<int> which{-1};
    latch done(1);
    goro::go([&] {
      selector = goro::sched::current_g();
      which = goro::select(goro::send_case(a, std::make_unique<int>(77)), goro::recv_case(b));
      done.count_down();
    });
    wait_until_parked(selector, goro::sched::wait_reason::select);
    std::unique_ptr<int> v = a.recv();
    done.wait();
    EXPECT_EQ(which.load(), 0);
    ASSERT_TRUE(v);
    EXPECT_EQ(*v, 77);
  });
}

TEST_P(SelectTest, TheSameChannelTwice) {
  run_in_goro([] {
    auto c = goro::make_chan<int>();
    // Both cases parked on one channel: one send fires exactly one of them.
    std::atomic<int> fired{0};
    std::atomic<int> which{-1};
    latch done(1);
    goro::go([&] {
      which = goro::select(goro::recv_case(c, [&](int v) { fired += v; }),
                           goro::recv_case(c, [&](int v) { fired += v; }));
      done.count_down();
    });
    c.send(1);
    done.wait();
    EXPECT_EQ(fired.load(), 1);
    EXPECT_TRUE(which.load() == 0 || which.load() == 1);
    EXPECT_FALSE(c.try_send(2));  // no waiter left behind

    // Both ready: either may fire, each about as often.
    auto b = goro::make_chan<int>(1);
    int counts[2] = {0, 0};
    for (int i = 0; i < 2000; ++i) {
      b.send(i);
      ++counts[goro::select(goro::recv_case(b), goro::recv_case(b))];
    }
    EXPECT_GT(counts[0], 700);
    EXPECT_GT(counts[1], 700);
  });
}

TEST_P(SelectTest, SendAndReceiveOnTheSameChannel) {
  run_in_goro([] {
    auto c = goro::make_chan<int>();
    std::atomic<int> which{-1};
    latch done(1);
    goro::go([&] {
      which = goro::select(goro::send_case(c, 9), goro::recv_case(c));
      done.count_down();
    });
    EXPECT_EQ(c.recv(), 9);  // a select never matches itself: the receive is ours
    done.wait();
    EXPECT_EQ(which.load(), 0);
  });
}

TEST_P(SelectTest, NilChannelsAreNeverReady) {
  run_in_goro([] {
    goro::chan<int> nil;
    EXPECT_EQ(goro::select(goro::recv_case(nil), goro::send_case(nil, 1), goro::default_case()), 2);
    auto c = goro::make_chan<int>();
    goro::go([c] { c.send(4); });
    int got = 0;
    EXPECT_EQ(goro::select(goro::recv_case(nil), goro::recv_case(c, [&](int v) { got = v; })), 1);
    EXPECT_EQ(got, 4);
  });
}

TEST_P(SelectTest, ClosedChannelReceiveCaseIsReadyWithNothing) {
  run_in_goro([] {
    auto c = goro::make_chan<std::string>();
    c.close();
    bool ok = true;
    std::string v = "unchanged";
    EXPECT_EQ(goro::select(goro::recv_case(c,
                                           [&](std::string s, bool k) {
                                             v = s;
                                             ok = k;
                                           }),
                           goro::default_case()),
              0);
    EXPECT_FALSE(ok);
    EXPECT_EQ(v, "");
  });
}

TEST_P(SelectTest, CloseWakesAParkedReceiveCase) {
  run_in_goro([] {
    auto a = goro::make_chan<int>();
    auto b = goro::make_chan<int>();
    std::atomic<goro::sched::G*> selector{nullptr};
    std::atomic<int> which{-1};
    std::atomic<bool> ok{true};
    latch done(1);
    goro::go([&] {
      selector = goro::sched::current_g();
      which = goro::select(goro::recv_case(a), goro::recv_case(b, [&](int, bool k) { ok = k; }));
      done.count_down();
    });
    wait_until_parked(selector, goro::sched::wait_reason::select);
    b.close();
    done.wait();
    EXPECT_EQ(which.load(), 1);
    EXPECT_FALSE(ok.load());
    EXPECT_FALSE(a.try_send(1));
  });
}

TEST_P(SelectTest, SendCaseOnAClosedChannelPanics) {
  run_in_goro([] {
    auto c = goro::make_chan<int>(1);
    auto other = goro::make_chan<int>();
    c.close();
    try {
      goro::select(goro::send_case(c, 1), goro::recv_case(other), goro::default_case());
      ADD_FAILURE() << "no panic";
    } catch (const goro::panic_error& e) {
      EXPECT_STREQ(e.what(), "send on closed channel");
    }
    // The locks were released: the channels still work.
    EXPECT_FALSE(other.try_recv().has_value());
    EXPECT_FALSE(c.recv_ok().has_value());
  });
}

TEST_P(SelectTest, AParkedSendCasePanicsWhenItsChannelCloses) {
  run_in_goro([] {
    auto a = goro::make_chan<int>();
    auto b = goro::make_chan<int>();
    std::atomic<goro::sched::G*> selector{nullptr};
    std::atomic<bool> panicked{false};
    latch done(1);
    goro::go([&] {
      selector = goro::sched::current_g();
      try {
        goro::select(goro::send_case(a, 1), goro::recv_case(b));
      } catch (const goro::panic_error& e) {
        panicked = std::string(e.what()) == "send on closed channel";
      }
      done.count_down();
    });
    wait_until_parked(selector, goro::sched::wait_reason::select);
    a.close();
    done.wait();
    EXPECT_TRUE(panicked.load());
    EXPECT_FALSE(b.try_send(1));  // its receive waiter on b is gone too
  });
}

TEST_P(SelectTest, ReceiveCallbackForms) {
  run_in_goro([] {
    auto c = goro::make_chan<std::unique_ptr<int>>(4);
    for (int i = 1; i <= 4; ++i) c.send(std::make_unique<int>(i));
    int seen = 0;
    goro::select(
        goro::recv_case(c, [&](std::unique_ptr<int> p, bool ok) { seen += ok ? *p : 100; }));
    goro::select(goro::recv_case(c, [&](std::unique_ptr<int> p) { seen += *p * 10; }));
    goro::select(goro::recv_case(c, [&] { seen += 1000; }));
    goro::select(goro::recv_case(c, [&](const std::unique_ptr<int>& p) { seen += *p * 10000; }));
    EXPECT_EQ(seen, 1 + 20 + 1000 + 40000);
    c.close();
    goro::select(goro::recv_case(
        c, [&](std::unique_ptr<int> p, bool ok) { seen = (p == nullptr && !ok) ? -1 : -2; }));
    EXPECT_EQ(seen, -1);
  });
}

TEST_P(SelectTest, ReturnsTheIndexInArgumentOrderAroundTheDefault) {
  run_in_goro([] {
    auto a = goro::make_chan<int>();
    auto b = goro::make_chan<int>(1);
    b.send(1);
    EXPECT_EQ(goro::select(goro::recv_case(a), goro::default_case(), goro::recv_case(b)), 2);
    EXPECT_EQ(goro::select(goro::recv_case(a), goro::default_case(), goro::recv_case(b)), 1);
  });
}

TEST_P(SelectTest, ChoosesFairlyAmongReadyCases) {
  run_in_goro([] {
    // Closed channels are always ready.
    auto a = goro::make_chan<int>();
    auto b = goro::make_chan<int>();
    a.close();
    b.close();
    constexpr int kN = 10000;
    int counts[2] = {0, 0};
    for (int i = 0; i < kN; ++i) ++counts[goro::select(goro::recv_case(a), goro::recv_case(b))];
    EXPECT_GT(counts[0], kN * 40 / 100);
    EXPECT_LT(counts[0], kN * 60 / 100);
    // Three ready buffered channels, refilled as they are drained.
    std::array<goro::chan<int>, 3> cs = {goro::make_chan<int>(1), goro::make_chan<int>(1),
                                         goro::make_chan<int>(1)};
    for (auto& c : cs) c.send(0);
    int counts3[3] = {0, 0, 0};
    for (int i = 0; i < kN; ++i) {
      const int k =
          goro::select(goro::recv_case(cs[0]), goro::recv_case(cs[1]), goro::recv_case(cs[2]));
      ++counts3[k];
      cs[static_cast<std::size_t>(k)].send(0);
    }
    for (int k = 0; k < 3; ++k) {
      EXPECT_GT(counts3[k], kN * 25 / 100);
      EXPECT_LT(counts3[k], kN * 42 / 100);
    }
  });
}

TEST_P(SelectTest, ManyCasesUseTheHeapScratchPath) {
  run_in_goro([] {
    constexpr int kN = 20;
    std::vector<goro::chan<int>> cs;
    for (int i = 0; i < kN; ++i) cs.push_back(goro::make_chan<int>());
    for (int round = 0; round < 3; ++round) {
      const int target = round * 7 % kN;
      goro::go([c = cs[static_cast<std::size_t>(target)], round] { c.send(round); });
      int got = -1;
      const int which = [&]<std::size_t... I>(std::index_sequence<I...>) {
        return goro::select(goro::recv_case(cs[I], [&](int v) { got = v; })...);
      }
      (std::make_index_sequence<kN>{});
      EXPECT_EQ(which, target);
      EXPECT_EQ(got, round);
    }
    for (auto& c : cs) EXPECT_FALSE(c.try_send(0));
  });
}

TEST_P(SelectTest, SingleCaseSelectIsThePlainOperation) {
  run_in_goro([] {
    auto c = goro::make_chan<int>(1);
    EXPECT_EQ(goro::select(goro::send_case(c, 3)), 0);
    int got = 0;
    EXPECT_EQ(goro::select(goro::recv_case(c, [&](int v) { got = v; })), 0);
    EXPECT_EQ(got, 3);
    EXPECT_EQ(goro::select(goro::recv_case(c), goro::default_case()), 1);
    EXPECT_EQ(goro::select(goro::send_case(c, 4), goro::default_case()), 0);
    EXPECT_EQ(goro::select(goro::send_case(c, 5), goro::default_case()), 1);
  });
}

// Competing selecting consumers over several producers' channels: every value arrives exactly once
// (exercises the claim on a select that several channels try to wake at once).
TEST_P(SelectTest, StressSelectingConsumers) {
  run_in_goro([] {
    constexpr int kProducers = 4, kConsumers = 4, kPer = 20000;
    std::array<goro::chan<std::int64_t>, kProducers> cs;
    for (auto& c : cs) c = goro::make_chan<std::int64_t>();
    auto quit = goro::make_chan<int>();
    auto results = goro::make_chan<std::int64_t>(kConsumers);
    for (int p = 0; p < kProducers; ++p) {
      goro::go([c = cs[static_cast<std::size_t>(p)], p] {
        for (int i = 0; i < kPer; ++i) c.send(static_cast<std::int64_t>(p) * kPer + i + 1);
      });
    }
    std::atomic<int> received{0};
    for (int k = 0; k < kConsumers; ++k) {
      goro::go([&, results, quit] {
        std::int64_t sum = 0;
        bool done = false;
        const auto add = [&](std::int64_t v) {
          sum += v;
          received.fetch_add(1);
        };
        while (!done) {
          goro::select(goro::recv_case(cs[0], add), goro::recv_case(cs[1], add),
                       goro::recv_case(cs[2], add), goro::recv_case(cs[3], add),
                       goro::recv_case(quit, [&] { done = true; }));
        }
        results.send(sum);
      });
    }
    while (received.load() < kProducers * kPer) goro::yield();
    quit.close();
    std::int64_t sum = 0;
    for (int k = 0; k < kConsumers; ++k) sum += results.recv();
    const std::int64_t total = std::int64_t{kProducers} * kPer;
    EXPECT_EQ(received.load(), total);
    EXPECT_EQ(sum, total * (total + 1) / 2);
  });
}

// Selecting senders and selecting receivers meet on two channels.
TEST_P(SelectTest, StressSelectOnBothSides) {
  run_in_goro([] {
    constexpr int kSenders = 3, kPer = 20000;
    auto a = goro::make_chan<std::int64_t>();
    auto b = goro::make_chan<std::int64_t>(4);
    latch sent(kSenders);
    for (int s = 0; s < kSenders; ++s) {
      goro::go([a, b, s, &sent] {
        for (int i = 0; i < kPer; ++i) {
          const std::int64_t v = static_cast<std::int64_t>(s) * kPer + i + 1;
          goro::select(goro::send_case(a, v), goro::send_case(b, v));
        }
        sent.count_down();
      });
    }
    std::int64_t sum = 0;
    const auto add = [&](std::int64_t v) { sum += v; };
    for (int i = 0; i < kSenders * kPer; ++i)
      goro::select(goro::recv_case(a, add), goro::recv_case(b, add));
    sent.wait();
    const std::int64_t total = std::int64_t{kSenders} * kPer;
    EXPECT_EQ(sum, total * (total + 1) / 2);
    EXPECT_EQ(b.len(), 0u);
  });
}

GORO_INSTANTIATE_PROCS(SelectTest);

// ---- deadlock reports

constexpr const char* kDeadlock = "fatal error: all goroutines are asleep - deadlock!(.|\n)*";

TEST(SelectDeathTest, BlockedSelectIsADeadlock) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                auto a = goro::make_chan<int>();
                auto b = goro::make_chan<int>();
                goro::select(goro::recv_case(a), goro::send_case(b, 1));
              }),
              ::testing::ExitedWithCode(2), std::string(kDeadlock) + "goroutine 1 \\[select\\]:");
}

TEST(SelectDeathTest, SelectWithNoCasesBlocksForever) {
  EXPECT_EXIT(goro_test::run_in_goro([] { goro::select(); }), ::testing::ExitedWithCode(2),
              std::string(kDeadlock) + "goroutine 1 \\[select \\(no cases\\)\\]:");
}

TEST(SelectDeathTest, SelectOnlyOnNilChannelsBlocksForever) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                goro::chan<int> nil;
                goro::select(goro::recv_case(nil), goro::send_case(nil, 1));
              }),
              ::testing::ExitedWithCode(2), std::string(kDeadlock) + "goroutine 1 \\[select\\]:");
}

TEST(SelectDeathTest, BlockingSelectOutsideRunIsFatal) {
  auto a = goro::make_chan<int>();
  auto b = goro::make_chan<int>();
  EXPECT_EXIT(goro::select(goro::recv_case(a), goro::recv_case(b)), ::testing::ExitedWithCode(2),
              "fatal error: goroutine operation outside goro::run");
}

}  // namespace
