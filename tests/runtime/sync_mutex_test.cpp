// goro::Mutex: mutual exclusion, try_lock, unlocking from another goroutine, the standard lock
// adaptors, starvation mode, and the fatal misuses and deadlock reports.
#include <atomic>
#include <chrono>
#include <mutex>
#include <type_traits>
#include <vector>

#include "sched/sched.hpp"
#include "support/goro_test.hpp"
#include "support/latch.hpp"

namespace {

using goro_test::latch;

static_assert(!std::is_copy_constructible_v<goro::Mutex> &&
              !std::is_move_constructible_v<goro::Mutex>);
static_assert(!std::is_copy_assignable_v<goro::Mutex> && !std::is_move_assignable_v<goro::Mutex>);
static_assert(sizeof(goro::Mutex) == 16,
              "Go's layout (a state word and a semaphore), then the holder");

// Constant-initialised: usable from static constructors and other threads before main.
constinit goro::Mutex global_mutex;

class MutexTest : public goro_test::procs_test {};

// Yields until g is parked (so a test can tell "is waiting" from "has not got there yet").
void await_parked(const std::atomic<goro::sched::G*>& slot) {
  for (;;) {
    goro::sched::G* g = slot.load();
    if (g != nullptr && g->status.load() == goro::sched::g_status::waiting) return;
    goro::yield();
  }
}

TEST_P(MutexTest, ExcludesEightGoroutinesIncrementingAPlainInt) {
  run_in_goro([] {
    constexpr int kGoroutines = 8;
    constexpr int kIncrements = 100000;
    goro::Mutex mu;
    int counter = 0;  // deliberately not atomic
    latch done(kGoroutines);
    for (int i = 0; i < kGoroutines; ++i) {
      goro::go([&] {
        for (int k = 0; k < kIncrements; ++k) {
          mu.lock();
          ++counter;
          mu.unlock();
        }
        done.count_down();
      });
    }
    done.wait();
    EXPECT_EQ(counter, kGoroutines * kIncrements);
  });
}

TEST_P(MutexTest, ExcludesGoroutinesThatParkInsideTheCriticalSection) {
  run_in_goro([] {
    // Yielding while holding the lock makes the others park on it even at GOMAXPROCS=1.
    constexpr int kGoroutines = 16;
    constexpr int kRounds = 500;
    goro::Mutex mu;
    int inside = 0;
    int counter = 0;
    std::atomic<int> overlaps{0};
    latch done(kGoroutines);
    for (int i = 0; i < kGoroutines; ++i) {
      goro::go([&] {
        for (int k = 0; k < kRounds; ++k) {
          std::lock_guard lock(mu);
          if (++inside != 1) overlaps.fetch_add(1);
          goro::yield();
          ++counter;
          --inside;
        }
        done.count_down();
      });
    }
    done.wait();
    EXPECT_EQ(overlaps.load(), 0);
    EXPECT_EQ(counter, kGoroutines * kRounds);
  });
}

TEST_P(MutexTest, TryLockFailsWhileLockedAndSucceedsOnceFree) {
  run_in_goro([] {
    goro::Mutex mu;
    EXPECT_TRUE(mu.try_lock());
    EXPECT_FALSE(mu.try_lock());
    bool other_got_it = true;
    latch done(1);
    goro::go([&] {
      other_got_it = mu.try_lock();
      done.count_down();
    });
    done.wait();
    EXPECT_FALSE(other_got_it);
    mu.unlock();
    EXPECT_TRUE(mu.try_lock());
    mu.unlock();
  });
}

TEST_P(MutexTest, AnotherGoroutineMayUnlock) {
  run_in_goro([] {
    goro::Mutex mu;
    mu.lock();
    std::atomic<goro::sched::G*> waiter{nullptr};
    std::atomic<bool> relocked{false};
    latch done(1);
    goro::go([&] {
      waiter = goro::sched::current_g();
      mu.lock();  // parks: main holds it
      relocked = true;
      done.count_down();
    });
    await_parked(waiter);
    EXPECT_FALSE(relocked.load());
    goro::go([&] { mu.unlock(); });  // not the goroutine that locked it
    done.wait();
    EXPECT_TRUE(relocked.load());
    EXPECT_FALSE(mu.try_lock());  // the waiter holds it now ...
    mu.unlock();                  // ... and main may release it on its behalf
    EXPECT_TRUE(mu.try_lock());
    mu.unlock();
  });
}

TEST_P(MutexTest, EveryParkedWaiterGetsTheLockInTurn) {
  run_in_goro([] {
    constexpr int kWaiters = 50;
    goro::Mutex mu;
    int entered = 0;
    std::vector<std::atomic<goro::sched::G*>> waiters(kWaiters);
    latch done(kWaiters);
    mu.lock();
    for (int i = 0; i < kWaiters; ++i) {
      goro::go([&, i] {
        waiters[i] = goro::sched::current_g();
        std::lock_guard lock(mu);
        ++entered;
        done.count_down();
      });
    }
    for (auto& g : waiters) await_parked(g);
    EXPECT_EQ(entered, 0);
    mu.unlock();
    done.wait();
    EXPECT_EQ(entered, kWaiters);
  });
}

TEST_P(MutexTest, WorksWithTheStandardLockAdaptors) {
  run_in_goro([] {
    goro::Mutex a;
    goro::Mutex b;
    {
      std::lock_guard<goro::Mutex> lock(a);
      EXPECT_FALSE(a.try_lock());
    }
    {
      std::unique_lock lock(a, std::try_to_lock);
      EXPECT_TRUE(lock.owns_lock());
      lock.unlock();
      EXPECT_TRUE(a.try_lock());
      a.unlock();
    }
    {
      std::unique_lock lock(a, std::defer_lock);
      EXPECT_FALSE(lock.owns_lock());
      lock.lock();
      EXPECT_TRUE(lock.owns_lock());
    }
    {
      std::scoped_lock lock(a, b);  // std::lock: lock one, try_lock the other
      EXPECT_FALSE(a.try_lock());
      EXPECT_FALSE(b.try_lock());
    }
    EXPECT_TRUE(a.try_lock());
    EXPECT_TRUE(b.try_lock());
    a.unlock();
    b.unlock();
    // Two goroutines taking the pair in opposite orders cannot deadlock through std::scoped_lock.
    latch done(2);
    int counter = 0;
    for (int dir = 0; dir < 2; ++dir) {
      goro::go([&, dir] {
        for (int i = 0; i < 2000; ++i) {
          if (dir == 0) {
            std::scoped_lock lock(a, b);
            ++counter;
          } else {
            std::scoped_lock lock(b, a);
            ++counter;
          }
          if (i % 100 == 0) goro::yield();
        }
        done.count_down();
      });
    }
    done.wait();
    EXPECT_EQ(counter, 4000);
  });
}

TEST_P(MutexTest, GlobalMutexNeedsNoConstruction) {
  run_in_goro([] {
    std::lock_guard lock(global_mutex);
    EXPECT_FALSE(global_mutex.try_lock());
  });
}

TEST_P(MutexTest, StarvingWaiterGetsTheLockFromAGreedyHolder) {
  run_in_goro([] {
    // The hog re-locks right after every unlock and yields while holding the lock (so the victim
    // is always woken into a locked Mutex, at any GOMAXPROCS). In normal mode the victim would lose
    // every time; after waiting 1 ms it switches the Mutex to starvation mode and is handed the
    // lock.
    using clock = std::chrono::steady_clock;
    goro::Mutex mu;
    std::atomic<bool> stop{false};
    latch hog_done(1);
    latch victim_done(1);
    goro::go([&] {
      while (!stop.load()) {
        mu.lock();
        goro::yield();
        const auto until = clock::now() + std::chrono::microseconds(100);
        while (clock::now() < until) {
        }
        mu.unlock();
      }
      hog_done.count_down();
    });
    goro::go([&] {
      for (int i = 0; i < 10; ++i) {
        mu.lock();
        mu.unlock();
      }
      victim_done.count_down();
    });
    const auto start = clock::now();
    victim_done.wait();
    stop = true;
    hog_done.wait();
    EXPECT_LT(clock::now() - start, std::chrono::seconds(10));
    // Back in normal mode: an uncontended lock works as before.
    EXPECT_TRUE(mu.try_lock());
    mu.unlock();
  });
}

GORO_INSTANTIATE_PROCS(MutexTest);

// Fatal misuse and deadlock reports: Go's wording, exit status 2.

TEST(MutexDeathTest, UnlockOfUnlockedMutexIsFatal) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                goro::Mutex m;
                m.unlock();
              }),
              ::testing::ExitedWithCode(2), "fatal error: sync: unlock of unlocked mutex");
}

TEST(MutexDeathTest, UnlockingTwiceIsFatal) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                goro::Mutex m;
                m.lock();
                m.unlock();
                m.unlock();
              }),
              ::testing::ExitedWithCode(2), "fatal error: sync: unlock of unlocked mutex");
}

TEST(MutexDeathTest, LockingTwiceIsADeadlock) {
  EXPECT_EXIT(
      goro_test::run_in_goro([] {
        goro::Mutex m;
        m.lock();  // NOLINT(goro-lock-unlock): the deadlock under test
        m.lock();  // NOLINT(goro-lock-unlock): the deadlock under test
      }),
      ::testing::ExitedWithCode(2),
      "fatal error: all goroutines are asleep - deadlock!.*goroutine 1 \\[sync.Mutex.Lock\\]:");
}

TEST(MutexDeathTest, WaitingOutsideRunIsFatal) {
  EXPECT_EXIT(
      {
        goro::Mutex m;
        m.lock();  // NOLINT(goro-lock-unlock): does not wait, allowed anywhere
        m.lock();  // NOLINT(goro-lock-unlock): the fatal error under test
      },
      ::testing::ExitedWithCode(2), "fatal error: goroutine operation outside goro::run");
}

}  // namespace
