// The semaphore table under the sync primitives: counting, parking and waking, FIFO and LIFO order,
// handoff, and many addresses sharing one bucket.
#include "sync/sema.hpp"

#include <atomic>
#include <cstdint>
#include <vector>

#include "sched/sched.hpp"
#include "support/goro_test.hpp"
#include "support/latch.hpp"

namespace {

using goro::sched::wait_reason;
using goro::sync::sema_waiters;
using goro::sync::semacquire;
using goro::sync::semrelease;
using goro_test::latch;

class SemaTest : public goro_test::procs_test {};

// Yields until `n` goroutines are parked on addr.
void await_waiters(const std::uint32_t* addr, int n) {
  while (sema_waiters(addr) != n) goro::yield();
}

TEST_P(SemaTest, AcquireTakesAnAvailableCountWithoutParking) {
  run_in_goro([] {
    std::uint32_t sema = 2;
    semacquire(&sema, false, wait_reason::mutex_lock);
    semacquire(&sema, false, wait_reason::mutex_lock);
    EXPECT_EQ(sema, 0u);
    semrelease(&sema, false);  // nobody waits: the count just goes up
    EXPECT_EQ(sema, 1u);
  });
}

TEST_P(SemaTest, ReleaseWakesAParkedWaiter) {
  run_in_goro([] {
    std::uint32_t sema = 0;
    std::atomic<bool> acquired{false};
    latch done(1);
    goro::go([&] {
      semacquire(&sema, false, wait_reason::mutex_lock);
      acquired = true;
      done.count_down();
    });
    await_waiters(&sema, 1);
    EXPECT_FALSE(acquired.load());
    semrelease(&sema, false);
    done.wait();
    EXPECT_TRUE(acquired.load());
    EXPECT_EQ(sema, 0u);
    EXPECT_EQ(sema_waiters(&sema), 0);
  });
}

// Parks kN goroutines one after another (each queued before the next starts), then releases one
// count at a time: with lifo=false they wake in arrival order; a lifo waiter jumps the queue.
std::vector<int> wake_order(bool last_is_lifo) {
  constexpr int kN = 8;
  std::uint32_t sema = 0;
  std::vector<int> order;
  std::atomic<int> woken{0};
  latch done(kN);
  for (int i = 0; i < kN; ++i) {
    const bool lifo = last_is_lifo && i == kN - 1;
    goro::go([&, i, lifo] {
      semacquire(&sema, lifo, wait_reason::mutex_lock);
      order.push_back(i);  // one count at a time: the pushes are serialised by the releases below
      woken.fetch_add(1);
      done.count_down();
    });
    await_waiters(&sema, i + 1);
  }
  for (int i = 0; i < kN; ++i) {
    semrelease(&sema, false);
    while (woken.load() != i + 1) goro::yield();
  }
  done.wait();
  return order;
}

TEST_P(SemaTest, WaitersWakeInArrivalOrder) {
  run_in_goro([] { EXPECT_EQ(wake_order(false), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7})); });
}

TEST_P(SemaTest, LifoWaiterGoesToTheFront) {
  run_in_goro([] { EXPECT_EQ(wake_order(true), (std::vector<int>{7, 0, 1, 2, 3, 4, 5, 6})); });
}

TEST_P(SemaTest, HandoffGivesTheCountToTheFirstWaiter) {
  run_in_goro([] {
    std::uint32_t sema = 0;
    std::atomic<bool> acquired{false};
    latch done(1);
    goro::go([&] {
      semacquire(&sema, false, wait_reason::mutex_lock);
      acquired = true;
      done.count_down();
    });
    await_waiters(&sema, 1);
    semrelease(&sema, true);
    // The count went to the waiter, not back into the semaphore where anyone could take it.
    EXPECT_EQ(sema, 0u);
    done.wait();
    EXPECT_TRUE(acquired.load());
    EXPECT_EQ(sema, 0u);
  });
}

TEST_P(SemaTest, ReleaseNWakesTheFirstNWaitersAndKeepsTheRest) {
  run_in_goro([] {
    constexpr int kN = 5;
    std::uint32_t sema = 0;
    std::vector<std::atomic<bool>> woken(kN);
    std::atomic<int> count{0};
    latch done(kN);
    for (int i = 0; i < kN; ++i) {
      goro::go([&, i] {
        semacquire(&sema, false, wait_reason::mutex_lock);
        woken[i] = true;
        count.fetch_add(1);
        done.count_down();
      });
      await_waiters(&sema, i + 1);
    }
    goro::sync::semrelease_n(&sema, 3);
    EXPECT_EQ(sema_waiters(&sema), 2);  // dequeued at once, before any of them ran
    while (count.load() != 3) goro::yield();
    // The three longest waiting (the order they then run in is the scheduler's: each ready()
    // takes runnext).
    EXPECT_TRUE(woken[0] && woken[1] && woken[2]);
    EXPECT_FALSE(woken[3] || woken[4]);
    goro::sync::semrelease_n(&sema, 4);  // more counts than waiters: the rest stays available
    done.wait();
    EXPECT_EQ(sema, 2u);
  });
}

TEST_P(SemaTest, AddressesSharingABucketAreKeptApart) {
  run_in_goro([] {
    // Semaphores 251 * 8 bytes apart land in one bucket: its treap holds many addresses, several
    // waiters each. Releasing them in a scrambled order must wake exactly the right waiters.
    constexpr int kAddrs = 64;
    constexpr int kPerAddr = 3;
    constexpr std::size_t kStride = std::size_t{251} * 8 / sizeof(std::uint32_t);
    std::vector<std::uint32_t> slab(kAddrs * kStride, 0);
    auto sema_at = [&](int i) { return &slab[static_cast<std::size_t>(i) * kStride]; };
    std::vector<std::atomic<int>> woken(kAddrs);
    latch done(kAddrs * kPerAddr);
    for (int i = 0; i < kAddrs; ++i) {
      for (int k = 0; k < kPerAddr; ++k) {
        goro::go([&, i] {
          semacquire(sema_at(i), false, wait_reason::mutex_lock);
          woken[i].fetch_add(1);
          done.count_down();
        });
      }
    }
    for (int i = 0; i < kAddrs; ++i) await_waiters(sema_at(i), kPerAddr);
    for (int round = 0; round < kPerAddr; ++round) {
      for (int j = 0; j < kAddrs; ++j) {
        const int i = (j * 37 + round * 11) % kAddrs;  // 37 is coprime with 64: a permutation
        semrelease(sema_at(i), false);
        while (woken[i].load() != round + 1) goro::yield();
        EXPECT_EQ(sema_waiters(sema_at(i)), kPerAddr - round - 1);
      }
    }
    done.wait();
    for (int i = 0; i < kAddrs; ++i) EXPECT_EQ(*sema_at(i), 0u);
  });
}

TEST_P(SemaTest, ConcurrentAcquireAndReleaseLoseNoWakeup) {
  run_in_goro([] {
    // Producers and consumers on one semaphore: every count released is acquired exactly once.
    constexpr int kPairs = 4;
    constexpr int kPerGoroutine = 20000;
    std::uint32_t sema = 0;
    std::atomic<int> acquired{0};
    latch done(2 * kPairs);
    for (int p = 0; p < kPairs; ++p) {
      goro::go([&] {
        for (int i = 0; i < kPerGoroutine; ++i) {
          semacquire(&sema, false, wait_reason::mutex_lock);
          acquired.fetch_add(1, std::memory_order_relaxed);
        }
        done.count_down();
      });
      goro::go([&] {
        for (int i = 0; i < kPerGoroutine; ++i) {
          semrelease(&sema, false);
          if (i % 64 == 0) goro::yield();
        }
        done.count_down();
      });
    }
    done.wait();
    EXPECT_EQ(acquired.load(), kPairs * kPerGoroutine);
    EXPECT_EQ(sema, 0u);
  });
}

GORO_INSTANTIATE_PROCS(SemaTest);

TEST(SemaDeathTest, WaitingOutsideAGoroutineIsFatal) {
  EXPECT_EXIT(
      {
        std::uint32_t sema = 0;
        semacquire(&sema, false, wait_reason::mutex_lock);
      },
      ::testing::ExitedWithCode(2), "fatal error: goroutine operation outside goro::run");
}

}  // namespace
