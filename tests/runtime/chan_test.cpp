// Channels: rendezvous, buffering, close, ranging, the non-blocking operations, nil channels,
// panics, element types (int, std::string, std::unique_ptr, non-default-constructible), stress and
// deadlock reports.
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "support/goro_test.hpp"
#include "support/latch.hpp"

namespace {

using goro_test::latch;
using goro_test::panic_message;

// ---- element types every behaviour is checked with

template <class T>
T make_value(int i);
template <>
int make_value<int>(int i) {
  return i;
}
template <>
std::string make_value<std::string>(int i) {
  return std::to_string(i) + std::string(40, '.');  // long enough to live on the heap
}
template <>
std::unique_ptr<int> make_value<std::unique_ptr<int>>(int i) {
  return std::make_unique<int>(i);
}

int value_of(int v) { return v; }
int value_of(const std::string& s) { return s.empty() ? -1 : std::stoi(s); }
int value_of(const std::unique_ptr<int>& p) { return p ? *p : -1; }

// Calls f.template operator()<T>() for each element type.
template <class F>
void for_each_elem_type(F f) {
  f.template operator()<int>();
  f.template operator()<std::string>();
  f.template operator()<std::unique_ptr<int>>();
}

// Counts live instances, to catch leaks and double destruction of buffered values.
struct tracked {
  static inline std::atomic<int> live{0};
  int v = 0;
  explicit tracked(int x) : v(x) { live.fetch_add(1); }
  tracked(tracked&& o) noexcept : v(o.v) { live.fetch_add(1); }
  tracked& operator=(tracked&&) = delete;
  ~tracked() { live.fetch_sub(1); }
};

// Lets the other goroutines run for a while (they are all runnable or parked by then).
void let_others_run() {
  for (int i = 0; i < 200; ++i) goro::yield();
}

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

// Goroutines register themselves; wait_all() returns once each of them is parked for `reason`.
class parked_set {
 public:
  explicit parked_set(int n) : gs_(static_cast<std::size_t>(n)) {}
  void enter(int i) { gs_[static_cast<std::size_t>(i)] = goro::sched::current_g(); }
  void wait_all(goro::sched::wait_reason reason) {
    for (auto& g : gs_) wait_until_parked(g, reason);
  }

 private:
  std::vector<std::atomic<goro::sched::G*>> gs_;
};

class ChanTest : public goro_test::procs_test {};

TEST_P(ChanTest, UnbufferedSendWaitsForTheReceiver) {
  run_in_goro([] {
    auto c = goro::make_chan<int>();
    auto done = goro::make_chan<int>(1);
    std::atomic<bool> sent{false};
    goro::go([c, done, &sent] {
      c.send(7);
      sent = true;
      done.send(0);
    });
    let_others_run();
    EXPECT_FALSE(sent.load());
    EXPECT_EQ(c.recv(), 7);
    done.recv();
    EXPECT_TRUE(sent.load());
  });
}

TEST_P(ChanTest, UnbufferedReceiveWaitsForTheSender) {
  run_in_goro([] {
    auto c = goro::make_chan<int>();
    std::atomic<int> got{0};
    latch done(1);
    goro::go([c, &got, &done] {
      got = c.recv();
      done.count_down();
    });
    let_others_run();
    EXPECT_EQ(got.load(), 0);
    c.send(42);
    done.wait();
    EXPECT_EQ(got.load(), 42);
  });
}

TEST_P(ChanTest, UnbufferedTransfersEveryElementTypeInOrder) {
  run_in_goro([] {
    for_each_elem_type([]<class T>() {
      constexpr int kN = 2000;
      auto c = goro::make_chan<T>();
      goro::go([c] {
        for (int i = 0; i < kN; ++i) c.send(make_value<T>(i));
      });
      for (int i = 0; i < kN; ++i) ASSERT_EQ(value_of(c.recv()), i);
    });
  });
}

TEST_P(ChanTest, BufferedKeepsFifoOrderWithoutBlocking) {
  run_in_goro([] {
    for_each_elem_type([]<class T>() {
      auto c = goro::make_chan<T>(16);
      for (int i = 0; i < 16; ++i) c.send(make_value<T>(i));  // never blocks: room for all
      EXPECT_EQ(c.len(), 16u);
      EXPECT_EQ(c.cap(), 16u);
      for (int i = 0; i < 16; ++i) EXPECT_EQ(value_of(c.recv()), i);
      EXPECT_EQ(c.len(), 0u);
    });
  });
}

TEST_P(ChanTest, BufferedSenderBlocksWhenFullAndOrderSurvivesParkedSenders) {
  run_in_goro([] {
    for_each_elem_type([]<class T>() {
      constexpr int kN = 1000;
      auto c = goro::make_chan<T>(3);
      std::atomic<int> sent{0};
      std::atomic<goro::sched::G*> sender{nullptr};
      latch done(1);
      goro::go([c, &sent, &sender, &done] {
        sender = goro::sched::current_g();
        for (int i = 0; i < kN; ++i) {
          c.send(make_value<T>(i));
          sent.fetch_add(1);
        }
        done.count_down();
      });
      wait_until_parked(sender, goro::sched::wait_reason::chan_send);
      EXPECT_EQ(sent.load(), 3);  // the fourth send waits for room
      EXPECT_EQ(c.len(), 3u);
      for (int i = 0; i < kN; ++i) ASSERT_EQ(value_of(c.recv()), i);
      done.wait();
    });
  });
}

TEST_P(ChanTest, ManyParkedSendersAreServedInFifoOrder) {
  run_in_goro([] {
    constexpr int kSenders = 50;
    auto c = goro::make_chan<int>();
    // Each sender is parked on c before the next one starts, so the queue order is known.
    for (int i = 0; i < kSenders; ++i) {
      std::atomic<goro::sched::G*> sender{nullptr};
      goro::go([c, i, &sender] {
        sender = goro::sched::current_g();
        c.send(i);
      });
      wait_until_parked(sender, goro::sched::wait_reason::chan_send);
    }
    for (int i = 0; i < kSenders; ++i) EXPECT_EQ(c.recv(), i);
  });
}

TEST_P(ChanTest, CloseWakesParkedReceiversWithNothing) {
  run_in_goro([] {
    for_each_elem_type([]<class T>() {
      constexpr int kN = 20;
      auto c = goro::make_chan<T>();
      std::atomic<int> nothing{0};
      latch done(2 * kN);
      parked_set parked(2 * kN);
      for (int i = 0; i < kN; ++i) {
        goro::go([c, i, &nothing, &done, &parked] {
          parked.enter(2 * i);
          if (!c.recv_ok().has_value()) nothing.fetch_add(1);
          done.count_down();
        });
        goro::go([c, i, &nothing, &done, &parked] {
          parked.enter(2 * i + 1);
          if (value_of(c.recv()) == value_of(T{})) nothing.fetch_add(1);
          done.count_down();
        });
      }
      parked.wait_all(goro::sched::wait_reason::chan_receive);
      c.close();
      done.wait();
      EXPECT_EQ(nothing.load(), 2 * kN);
    });
  });
}

TEST_P(ChanTest, CloseMakesParkedSendersPanic) {
  run_in_goro([] {
    for_each_elem_type([]<class T>() {
      constexpr int kN = 20;
      auto c = goro::make_chan<T>();
      std::atomic<int> panics{0};
      latch done(kN);
      parked_set parked(kN);
      for (int i = 0; i < kN; ++i) {
        goro::go([c, i, &panics, &done, &parked] {
          parked.enter(i);
          if (panic_message([&] { c.send(make_value<T>(i)); }) == "send on closed channel") {
            panics.fetch_add(1);
          }
          done.count_down();
        });
      }
      parked.wait_all(goro::sched::wait_reason::chan_send);
      c.close();
      done.wait();
      EXPECT_EQ(panics.load(), kN);
    });
  });
}

TEST_P(ChanTest, ReceiversDrainTheBufferBeforeSeeingClose) {
  run_in_goro([] {
    for_each_elem_type([]<class T>() {
      auto c = goro::make_chan<T>(4);
      for (int i = 0; i < 3; ++i) c.send(make_value<T>(i));
      c.close();
      EXPECT_EQ(c.len(), 3u);
      for (int i = 0; i < 3; ++i) {
        std::optional<T> v = c.recv_ok();
        ASSERT_TRUE(v.has_value());
        EXPECT_EQ(value_of(*v), i);
      }
      EXPECT_FALSE(c.recv_ok().has_value());
      EXPECT_FALSE(c.try_recv().has_value());
      EXPECT_EQ(value_of(c.recv()), value_of(T{}));
    });
  });
}

TEST_P(ChanTest, RangeReceivesUntilClosed) {
  run_in_goro([] {
    for_each_elem_type([]<class T>() {
      constexpr int kN = 500;
      auto c = goro::make_chan<T>(8);
      goro::go([c] {
        for (int i = 0; i < kN; ++i) c.send(make_value<T>(i));
        c.close();
      });
      int expected = 0;
      for (auto v : c) EXPECT_EQ(value_of(v), expected++);
      EXPECT_EQ(expected, kN);
    });
  });
}

TEST_P(ChanTest, RangeIteratorIsAnInputIterator) {
  static_assert(std::input_iterator<goro::chan<int>::iterator>);
  static_assert(std::input_iterator<goro::chan<std::unique_ptr<int>>::iterator>);
  static_assert(std::sentinel_for<std::default_sentinel_t, goro::chan<int>::iterator>);
  run_in_goro([] {
    auto c = goro::make_chan<int>(2);
    c.send(1);
    c.close();
    auto it = c.begin();
    ASSERT_FALSE(it == c.end());
    EXPECT_EQ(*it, 1);
    ++it;
    EXPECT_TRUE(it == c.end());
  });
}

TEST_P(ChanTest, RecvOkTellsAZeroValueFromClosed) {
  run_in_goro([] {
    auto c = goro::make_chan<int>(1);
    c.send(0);
    std::optional<int> v = c.recv_ok();
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(*v, 0);
    c.close();
    EXPECT_FALSE(c.recv_ok().has_value());
  });
}

TEST_P(ChanTest, TryOperationsNeverBlock) {
  run_in_goro([] {
    for_each_elem_type([]<class T>() {
      auto unbuffered = goro::make_chan<T>();
      EXPECT_FALSE(unbuffered.try_send(make_value<T>(1)));  // nobody receives
      EXPECT_FALSE(unbuffered.try_recv().has_value());      // nobody sends

      auto buffered = goro::make_chan<T>(2);
      EXPECT_TRUE(buffered.try_send(make_value<T>(1)));
      EXPECT_TRUE(buffered.try_send(make_value<T>(2)));
      EXPECT_FALSE(buffered.try_send(make_value<T>(3)));  // full
      std::optional<T> v = buffered.try_recv();
      ASSERT_TRUE(v.has_value());
      EXPECT_EQ(value_of(*v), 1);
      EXPECT_EQ(buffered.len(), 1u);
    });
  });
}

TEST_P(ChanTest, TrySendHandsTheValueToAParkedReceiver) {
  run_in_goro([] {
    auto c = goro::make_chan<std::unique_ptr<int>>();
    std::atomic<int> got{0};
    latch done(1);
    goro::go([c, &got, &done] {
      got = *c.recv();
      done.count_down();
    });
    bool sent = false;
    for (int i = 0; i < 100000 && !sent; ++i) {
      sent = c.try_send(std::make_unique<int>(5));
      if (!sent) goro::yield();
    }
    EXPECT_TRUE(sent);
    done.wait();
    EXPECT_EQ(got.load(), 5);
  });
}

TEST_P(ChanTest, TryRecvTakesFromAParkedSender) {
  run_in_goro([] {
    auto c = goro::make_chan<std::string>();
    goro::go([c] { c.send(make_value<std::string>(9)); });
    std::optional<std::string> v;
    for (int i = 0; i < 100000 && !v; ++i) {
      v = c.try_recv();
      if (!v) goro::yield();
    }
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(value_of(*v), 9);
  });
}

TEST_P(ChanTest, LenAndCap) {
  run_in_goro([] {
    auto c = goro::make_chan<int>(5);
    EXPECT_EQ(c.cap(), 5u);
    EXPECT_EQ(c.len(), 0u);
    c.send(1);
    c.send(2);
    EXPECT_EQ(c.len(), 2u);
    EXPECT_EQ(goro::make_chan<int>().cap(), 0u);
    EXPECT_EQ(goro::make_chan<int>().len(), 0u);
  });
}

TEST_P(ChanTest, NilChannelTryOperationsFailAndLenCapAreZero) {
  run_in_goro([] {
    goro::chan<int> nil;
    EXPECT_FALSE(nil);
    EXPECT_TRUE(goro::make_chan<int>());
    EXPECT_FALSE(nil.try_send(1));
    EXPECT_FALSE(nil.try_recv().has_value());
    EXPECT_EQ(nil.len(), 0u);
    EXPECT_EQ(nil.cap(), 0u);
    EXPECT_TRUE(nil == goro::chan<int>(nullptr));
  });
}

TEST_P(ChanTest, PanicsCarryGosMessages) {
  run_in_goro([] {
    auto c = goro::make_chan<int>(1);
    c.close();
    EXPECT_THROW(c.send(1), goro::panic_error);  // NOLINT(goro-closed-channel): the panic
    EXPECT_EQ(panic_message([&] { c.send(1); }), "send on closed channel");
    EXPECT_EQ(panic_message([&] { c.try_send(1); }), "send on closed channel");
    EXPECT_THROW(c.close(), goro::panic_error);
    EXPECT_EQ(panic_message([&] { c.close(); }), "close of closed channel");
    goro::chan<int> nil;
    EXPECT_THROW(nil.close(), goro::panic_error);
    EXPECT_EQ(panic_message([&] { nil.close(); }), "close of nil channel");
    // A panic leaves the channel usable: the lock was released.
    EXPECT_FALSE(c.recv_ok().has_value());
  });
}

TEST_P(ChanTest, HandlesCompareByIdentity) {
  run_in_goro([] {
    auto a = goro::make_chan<int>();
    auto b = goro::make_chan<int>();
    goro::chan<int> a2 = a;
    EXPECT_TRUE(a == a2);
    EXPECT_FALSE(a == b);
    EXPECT_TRUE((a < b) != (b < a));
    std::unordered_set<goro::chan<int>> set{a, a2, b};
    EXPECT_EQ(set.size(), 2u);
    goro::chan<int> moved = std::move(a2);
    EXPECT_TRUE(moved == a);
    a2 = b;
    EXPECT_TRUE(a2 == b);
  });
}

TEST_P(ChanTest, CopiesShareOneChannel) {
  run_in_goro([] {
    auto a = goro::make_chan<int>(1);
    goro::chan<int> b = a;
    a.send(3);
    EXPECT_EQ(b.len(), 1u);
    EXPECT_EQ(b.recv(), 3);
  });
}

TEST_P(ChanTest, TheLastHandleDestroysBufferedValues) {
  run_in_goro([] {
    {
      auto c = goro::make_chan<tracked>(8);
      for (int i = 0; i < 5; ++i) c.send(tracked(i));
      EXPECT_EQ(tracked::live.load(), 5);
      std::optional<tracked> t = c.recv_ok();
      EXPECT_EQ(t->v, 0);
      EXPECT_EQ(tracked::live.load(), 5);  // four buffered, one in t
      goro::chan<tracked> copy = c;
    }
    EXPECT_EQ(tracked::live.load(), 0);
    {
      // Wrapped around the ring: the survivors are not at the start of the buffer.
      auto c = goro::make_chan<tracked>(3);
      for (int i = 0; i < 3; ++i) c.send(tracked(i));
      c.recv_ok();
      c.recv_ok();
      c.send(tracked(3));
      c.send(tracked(4));
      EXPECT_EQ(tracked::live.load(), 3);
    }
    EXPECT_EQ(tracked::live.load(), 0);
  });
}

TEST_P(ChanTest, ElementsNeedNotBeDefaultConstructible) {
  struct no_default {
    explicit no_default(int x) : v(x) {}
    int v;
  };
  run_in_goro([] {
    auto c = goro::make_chan<no_default>(4);
    c.send(no_default(1));
    c.send(no_default(2));
    EXPECT_EQ(c.try_recv()->v, 1);
    EXPECT_EQ(c.recv_ok()->v, 2);
    c.send(no_default(3));
    c.close();
    int sum = 0;
    for (auto v : c) sum += v.v;
    EXPECT_EQ(sum, 3);
  });
}

TEST_P(ChanTest, LargeElementsMoveIntact) {
  struct big {
    std::int64_t words[64];
  };
  run_in_goro([] {
    auto c = goro::make_chan<big>(2);
    goro::go([c] {
      for (int i = 0; i < 100; ++i) {
        big b;
        for (int k = 0; k < 64; ++k) b.words[k] = i * 1000 + k;
        c.send(b);
      }
    });
    for (int i = 0; i < 100; ++i) {
      big b = c.recv();
      for (int k = 0; k < 64; ++k) ASSERT_EQ(b.words[k], i * 1000 + k);
    }
  });
}

// Elements aligned beyond the channel header's own alignment: every object the channel constructs
// (buffer slots included) must sit on its alignment, which the move constructor checks.
struct alignas(128) wide {
  static inline std::atomic<int> misaligned{0};
  int v = 0;
  explicit wide(int x) : v(x) { check(); }
  wide(wide&& o) noexcept : v(o.v) { check(); }
  void check() const {
    if (reinterpret_cast<std::uintptr_t>(this) % 128 != 0) misaligned.fetch_add(1);
  }
};

TEST_P(ChanTest, OverAlignedElementsStayAligned) {
  run_in_goro([] {
    auto c = goro::make_chan<wide>(3);
    goro::go([c] {
      for (int i = 0; i < 10; ++i) c.send(wide(i));
      c.close();
    });
    int expected = 0;
    for (const auto& w : c) EXPECT_EQ(w.v, expected++);
    EXPECT_EQ(expected, 10);
    EXPECT_EQ(wide::misaligned.load(), 0);
  });
}

TEST_P(ChanTest, ImpossibleBufferSizePanics) {
  run_in_goro([] {
    EXPECT_EQ(panic_message([] { goro::make_chan<std::int64_t>(SIZE_MAX / 4); }),
              "makechan: size out of range");
  });
}

TEST_P(ChanTest, NonBlockingOperationsWorkBeforeRun) {
  auto c = goro::make_chan<int>(2);  // made and used before goro::run
  EXPECT_TRUE(c.try_send(1));
  c.send(2);  // room in the buffer: does not block
  EXPECT_FALSE(c.try_send(3));
  EXPECT_EQ(c.len(), 2u);
  EXPECT_EQ(c.try_recv(), 1);
  c.close();
  run_in_goro([c] {
    EXPECT_EQ(c.recv(), 2);
    EXPECT_FALSE(c.recv_ok().has_value());
  });
}

// A goroutine waiting for a thread that is not a goroutine looks deadlocked by Go's rule (nothing
// in the runtime can wake it), so a busy goroutine keeps the detector quiet meanwhile.
class busy_goroutine {
 public:
  busy_goroutine() {
    goro::go([this] {
      while (!stop_.load()) goro::yield();
      stopped_.count_down();
    });
  }
  ~busy_goroutine() {
    stop_ = true;
    stopped_.wait();
  }

 private:
  std::atomic<bool> stop_{false};
  latch stopped_{1};
};

TEST_P(ChanTest, ForeignThreadSendWakesAParkedGoroutine) {
  run_in_goro([] {
    busy_goroutine busy;
    auto c = goro::make_chan<int>();
    auto ready = goro::make_chan<int>(1);
    std::thread t([c, ready] {
      // The goroutine is parked (or about to be) in recv; retry until the hand-off happens.
      while (!c.try_send(11)) std::this_thread::yield();
      ready.try_send(0);
    });
    EXPECT_EQ(c.recv(), 11);
    t.join();
    EXPECT_EQ(ready.recv(), 0);
  });
}

TEST_P(ChanTest, ForeignThreadCloseWakesParkedGoroutines) {
  run_in_goro([] {
    busy_goroutine busy;
    auto c = goro::make_chan<int>();
    std::thread t([c] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      c.close();
    });
    EXPECT_FALSE(c.recv_ok().has_value());
    t.join();
  });
}

// No lost wake-ups, no duplicated or lost values: every message arrives exactly once.
void producers_consumers(std::size_t cap, int producers, int consumers, int per_producer) {
  auto c = goro::make_chan<std::int64_t>(cap);
  auto results = goro::make_chan<std::int64_t>(static_cast<std::size_t>(consumers));
  latch produced(producers);
  for (int p = 0; p < producers; ++p) {
    goro::go([c, p, per_producer, &produced] {
      for (int i = 0; i < per_producer; ++i)
        c.send(static_cast<std::int64_t>(p) * per_producer + i + 1);
      produced.count_down();
    });
  }
  std::atomic<std::int64_t> count{0};
  for (int k = 0; k < consumers; ++k) {
    goro::go([c, results, &count] {
      std::int64_t sum = 0, n = 0;
      for (std::int64_t v : c) {
        sum += v;
        ++n;
      }
      count.fetch_add(n);
      results.send(sum);
    });
  }
  produced.wait();
  c.close();
  std::int64_t sum = 0;
  for (int k = 0; k < consumers; ++k) sum += results.recv();
  const std::int64_t total = static_cast<std::int64_t>(producers) * per_producer;
  EXPECT_EQ(count.load(), total);
  EXPECT_EQ(sum, total * (total + 1) / 2);
}

TEST_P(ChanTest, StressManyProducersAndConsumersUnbuffered) {
  run_in_goro([] { producers_consumers(0, 4, 4, 25000); });
}

TEST_P(ChanTest, StressManyProducersAndConsumersBuffered) {
  run_in_goro([] { producers_consumers(64, 4, 4, 25000); });
}

GORO_INSTANTIATE_PROCS(ChanTest);

// The stress figure, on exactly 2 Ps: 4 producers x 4 consumers x 100k messages.
TEST(ChanStress, FourProducersFourConsumersHundredThousandEachOnTwoPs) {
  goro_test::run_in_goro([] { producers_consumers(0, 4, 4, 100000); }, 2);
}

TEST(ChanStress, FourProducersFourConsumersHundredThousandEachBufferedOnTwoPs) {
  goro_test::run_in_goro([] { producers_consumers(128, 4, 4, 100000); }, 2);
}

// ---- deadlock reports and misuse (death tests fork before goro::run)

constexpr const char* kDeadlock = "fatal error: all goroutines are asleep - deadlock!(.|\n)*";

TEST(ChanDeathTest, ReceiveWithNoSenderIsADeadlock) {
  EXPECT_EXIT(goro_test::run_in_goro([] { goro::make_chan<int>().recv(); }),
              ::testing::ExitedWithCode(2),
              std::string(kDeadlock) + "goroutine 1 \\[chan receive\\]:");
}

TEST(ChanDeathTest, SendWithNoReceiverIsADeadlock) {
  EXPECT_EXIT(goro_test::run_in_goro([] { goro::make_chan<int>().send(1); }),
              ::testing::ExitedWithCode(2),
              std::string(kDeadlock) + "goroutine 1 \\[chan send\\]:");
}

TEST(ChanDeathTest, FullBufferedSendIsADeadlock) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                auto c = goro::make_chan<int>(1);
                c.send(1);
                c.send(2);
              }),
              ::testing::ExitedWithCode(2),
              std::string(kDeadlock) + "goroutine 1 \\[chan send\\]:");
}

TEST(ChanDeathTest, NilChannelReceiveIsADeadlock) {
  EXPECT_EXIT(goro_test::run_in_goro([] { goro::chan<int>().recv(); }),
              ::testing::ExitedWithCode(2),
              std::string(kDeadlock) + "goroutine 1 \\[chan receive \\(nil chan\\)\\]:");
}

TEST(ChanDeathTest, NilChannelSendIsADeadlock) {
  EXPECT_EXIT(goro_test::run_in_goro([] { goro::chan<int>().send(1); }),
              ::testing::ExitedWithCode(2),
              std::string(kDeadlock) + "goroutine 1 \\[chan send \\(nil chan\\)\\]:");
}

TEST(ChanDeathTest, DeadlockListsEveryBlockedGoroutine) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                auto a = goro::make_chan<int>();
                auto b = goro::make_chan<int>();
                goro::go([a] { a.send(1); });
                b.recv();
              }),
              ::testing::ExitedWithCode(2),
              std::string(kDeadlock) +
                  "goroutine 1 \\[chan receive\\]:(.|\n)*goroutine [0-9]+ \\[chan send\\]:");
}

TEST(ChanDeathTest, BlockingOutsideRunIsFatal) {
  EXPECT_EXIT(goro::make_chan<int>().recv(), ::testing::ExitedWithCode(2),
              "fatal error: goroutine operation outside goro::run");
}

TEST(ChanDeathTest, UncaughtSendOnClosedPanics) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                auto c = goro::make_chan<int>(1);
                c.close();
                c.send(1);  // NOLINT(goro-closed-channel): the panic under test
              }),
              ::testing::ExitedWithCode(2), "panic: send on closed channel");
}

}  // namespace
