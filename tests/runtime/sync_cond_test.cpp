// goro::Cond: signal wakes waiters in FIFO order, broadcast wakes all, a signal with no waiter is
// lost (as in Go), RWMutex-bound conditions, and the deadlock report.
#include <atomic>
#include <deque>
#include <numeric>
#include <type_traits>
#include <vector>

#include "support/goro_test.hpp"
#include "support/latch.hpp"

namespace {

using goro_test::latch;

static_assert(!std::is_copy_constructible_v<goro::Cond> &&
              !std::is_move_constructible_v<goro::Cond>);

class CondTest : public goro_test::procs_test {};

// Starts kN waiters that queue in index order (each takes its ticket before the next starts).
// Returns once all wait.
template <class Lock>
void start_waiters(int n, Lock& mu, goro::Cond& cond, int& waiting, std::vector<int>& woken,
                   latch& done) {
  for (int i = 0; i < n; ++i) {
    goro::go([&, i] {
      std::unique_lock lock(mu);
      ++waiting;
      cond.wait();
      woken.push_back(i);
      lock.unlock();  // before counting down: the test may check that the lock is free once done
      done.count_down();
    });
    // Wait until waiter i is inside wait() (it counted itself and released the lock there).
    for (;;) {
      std::unique_lock lock(mu);
      if (waiting == i + 1) break;
      lock.unlock();
      goro::yield();
    }
  }
}

TEST_P(CondTest, SignalWakesWaitersInFifoOrder) {
  run_in_goro([] {
    constexpr int kN = 10;
    goro::Mutex mu;
    goro::Cond cond(mu);
    int waiting = 0;
    std::vector<int> woken;
    latch done(kN);
    start_waiters(kN, mu, cond, waiting, woken, done);
    for (int i = 0; i < kN; ++i) {
      cond.signal();
      for (;;) {  // until that one has run
        std::unique_lock lock(mu);
        if (static_cast<int>(woken.size()) == i + 1) break;
        lock.unlock();
        goro::yield();
      }
    }
    done.wait();
    std::vector<int> expected(kN);
    std::iota(expected.begin(), expected.end(), 0);
    EXPECT_EQ(woken, expected);
  });
}

TEST_P(CondTest, BroadcastWakesEveryWaiter) {
  run_in_goro([] {
    constexpr int kN = 50;
    goro::Mutex mu;
    goro::Cond cond(mu);
    int waiting = 0;
    std::vector<int> woken;
    latch done(kN);
    start_waiters(kN, mu, cond, waiting, woken, done);
    cond.broadcast();
    done.wait();
    EXPECT_EQ(static_cast<int>(woken.size()), kN);
  });
}

TEST_P(CondTest, SignalWithoutWaitersIsNotRemembered) {
  run_in_goro([] {
    goro::Mutex mu;
    goro::Cond cond(mu);
    cond.signal();
    cond.broadcast();
    int waiting = 0;
    std::vector<int> woken;
    latch done(1);
    start_waiters(1, mu, cond, waiting, woken, done);
    for (int i = 0; i < 50; ++i) goro::yield();
    {
      std::lock_guard lock(mu);
      EXPECT_TRUE(woken.empty());  // the earlier signals did not let it through
    }
    cond.signal();
    done.wait();
    EXPECT_EQ(woken.size(), 1u);
  });
}

TEST_P(CondTest, WorksWithAnRWMutexWriteLock) {
  run_in_goro([] {
    constexpr int kN = 5;
    goro::RWMutex mu;
    goro::Cond cond(mu);
    int waiting = 0;
    std::vector<int> woken;
    latch done(kN);
    start_waiters(kN, mu, cond, waiting, woken, done);
    cond.broadcast();
    done.wait();
    EXPECT_EQ(static_cast<int>(woken.size()), kN);
    EXPECT_TRUE(mu.try_lock());  // every waiter re-locked and released it
    mu.unlock();
  });
}

TEST_P(CondTest, ProducerConsumerQueueLosesNothing) {
  run_in_goro([] {
    constexpr int kConsumers = 4;
    constexpr int kItems = 20000;
    goro::Mutex mu;
    goro::Cond not_empty(mu);
    std::deque<int> queue;
    bool closed = false;
    std::atomic<long> sum{0};
    latch done(kConsumers);
    for (int c = 0; c < kConsumers; ++c) {
      goro::go([&] {
        for (;;) {
          std::unique_lock lock(mu);
          while (queue.empty() && !closed) not_empty.wait();
          if (queue.empty()) break;
          const int v = queue.front();
          queue.pop_front();
          lock.unlock();
          sum.fetch_add(v);
        }
        done.count_down();
      });
    }
    for (int i = 1; i <= kItems; ++i) {
      {
        std::lock_guard lock(mu);
        queue.push_back(i);
      }
      not_empty.signal();
      if (i % 128 == 0) goro::yield();
    }
    {
      std::lock_guard lock(mu);
      closed = true;
    }
    not_empty.broadcast();
    done.wait();
    EXPECT_EQ(sum.load(), static_cast<long>(kItems) * (kItems + 1) / 2);
  });
}

GORO_INSTANTIATE_PROCS(CondTest);

TEST(CondDeathTest, WaitingWithNobodyToSignalIsADeadlock) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                goro::Mutex mu;
                goro::Cond cond(mu);
                std::lock_guard lock(mu);
                cond.wait();
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!.*goroutine 1 "
              "\\[sync.Cond.Wait\\]:");
}

}  // namespace
