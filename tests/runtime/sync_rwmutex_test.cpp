// goro::RWMutex: shared readers, exclusive writers, writer preference (a waiting writer blocks new
// readers, and a stream of readers cannot starve it), try-variants, std::shared_lock, and the fatal
// misuses and deadlock reports.
#include <atomic>
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <type_traits>
#include <vector>

#include "sched/sched.hpp"
#include "support/goro_test.hpp"
#include "support/latch.hpp"

namespace {

using goro_test::latch;

static_assert(!std::is_copy_constructible_v<goro::RWMutex> &&
              !std::is_move_constructible_v<goro::RWMutex>);

class RWMutexTest : public goro_test::procs_test {};

void await_parked(const std::atomic<goro::sched::G*>& slot) {
  for (;;) {
    goro::sched::G* g = slot.load();
    if (g != nullptr && g->status.load() == goro::sched::g_status::waiting) return;
    goro::yield();
  }
}

TEST_P(RWMutexTest, ReadersHoldTheLockTogether) {
  run_in_goro([] {
    // Every reader waits inside the read lock until all are inside: only possible if shared.
    constexpr int kReaders = 8;
    goro::RWMutex mu;
    std::atomic<int> inside{0};
    latch done(kReaders);
    for (int i = 0; i < kReaders; ++i) {
      goro::go([&] {
        std::shared_lock lock(mu);
        inside.fetch_add(1);
        while (inside.load() != kReaders) goro::yield();
        done.count_down();
      });
    }
    done.wait();
    EXPECT_EQ(inside.load(), kReaders);
  });
}

TEST_P(RWMutexTest, WritersExcludeReadersAndEachOther) {
  run_in_goro([] {
    // Writers fill every slot with one value; a reader must never see two different values.
    constexpr int kWriters = 3;
    constexpr int kReaders = 6;
    constexpr int kRounds = 3000;
    goro::RWMutex mu;
    int slots[4] = {0, 0, 0, 0};  // plain ints, guarded by mu
    std::atomic<int> torn{0};
    latch done(kWriters + kReaders);
    for (int w = 0; w < kWriters; ++w) {
      goro::go([&, w] {
        for (int i = 0; i < kRounds; ++i) {
          std::lock_guard lock(mu);
          for (int& s : slots) {
            s = w * kRounds + i;
            if (i % 16 == 0) goro::yield();  // readers must still not get in
          }
        }
        done.count_down();
      });
    }
    for (int r = 0; r < kReaders; ++r) {
      goro::go([&] {
        for (int i = 0; i < kRounds; ++i) {
          std::shared_lock lock(mu);
          const int first = slots[0];
          if (i % 16 == 0) goro::yield();
          for (int s : slots) {
            if (s != first) torn.fetch_add(1);
          }
        }
        done.count_down();
      });
    }
    done.wait();
    EXPECT_EQ(torn.load(), 0);
  });
}

TEST_P(RWMutexTest, WaitingWriterBlocksNewReaders) {
  run_in_goro([] {
    goro::RWMutex mu;
    std::vector<int> order;  // appended under the lock
    std::atomic<goro::sched::G*> writer{nullptr};
    std::atomic<goro::sched::G*> late_reader{nullptr};
    latch done(2);
    mu.lock_shared();  // an early reader: main
    goro::go([&] {
      writer = goro::sched::current_g();
      std::lock_guard lock(mu);  // waits for main's read lock
      order.push_back(1);
      done.count_down();
    });
    await_parked(writer);
    EXPECT_FALSE(mu.try_lock_shared());  // a writer waits: no new readers
    goro::go([&] {
      late_reader = goro::sched::current_g();
      std::shared_lock lock(mu);
      order.push_back(2);
      done.count_down();
    });
    await_parked(late_reader);
    mu.unlock_shared();  // the writer goes first, then the late reader
    done.wait();
    EXPECT_EQ(order, (std::vector<int>{1, 2}));
  });
}

TEST_P(RWMutexTest, WriterIsNotStarvedByAStreamOfReaders) {
  run_in_goro([] {
    // Readers overlap (each yields while holding the read lock), so without writer preference the
    // reader count would never drop to zero. The writer must get in within a bounded number of
    // reader entries after it starts waiting.
    constexpr int kReaders = 4;
    goro::RWMutex mu;
    std::atomic<bool> stop{false};
    std::atomic<long> entries{0};
    latch started(kReaders);
    latch done(kReaders);
    for (int i = 0; i < kReaders; ++i) {
      goro::go([&] {
        started.count_down();
        while (!stop.load()) {
          mu.lock_shared();
          entries.fetch_add(1);
          goro::yield();
          mu.unlock_shared();
        }
        done.count_down();
      });
    }
    started.wait();
    while (entries.load() < 100) goro::yield();  // the stream is flowing
    const auto t0 = std::chrono::steady_clock::now();
    const long before = entries.load();
    mu.lock();
    const long during = entries.load() - before;
    mu.unlock();
    stop = true;
    done.wait();
    // Only readers already inside (or past their check) when the writer arrived may enter; the
    // bound is generous.
    EXPECT_LE(during, 10 * kReaders);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  });
}

TEST_P(RWMutexTest, TryVariantsRespectHolders) {
  run_in_goro([] {
    goro::RWMutex mu;
    EXPECT_TRUE(mu.try_lock_shared());
    EXPECT_TRUE(mu.try_lock_shared());  // readers share
    EXPECT_FALSE(mu.try_lock());        // a writer does not
    mu.unlock_shared();
    mu.unlock_shared();
    EXPECT_TRUE(mu.try_lock());
    EXPECT_FALSE(mu.try_lock());
    EXPECT_FALSE(mu.try_lock_shared());
    mu.unlock();
    EXPECT_TRUE(mu.try_lock_shared());
    mu.unlock_shared();
  });
}

TEST_P(RWMutexTest, WorksWithTheStandardLockAdaptors) {
  run_in_goro([] {
    goro::RWMutex mu;
    {
      std::shared_lock lock(mu);
      EXPECT_TRUE(lock.owns_lock());
      std::shared_lock second(mu, std::try_to_lock);
      EXPECT_TRUE(second.owns_lock());
      std::unique_lock writer(mu, std::try_to_lock);
      EXPECT_FALSE(writer.owns_lock());
    }
    {
      std::unique_lock lock(mu);
      std::shared_lock reader(mu, std::try_to_lock);
      EXPECT_FALSE(reader.owns_lock());
    }
    {
      goro::Mutex other;
      std::scoped_lock both(mu, other);
      EXPECT_FALSE(mu.try_lock_shared());
    }
    std::shared_lock lock(mu, std::defer_lock);
    lock.lock();
    EXPECT_TRUE(lock.owns_lock());
  });
}

TEST_P(RWMutexTest, WriterUnlockWakesEveryQueuedReader) {
  run_in_goro([] {
    constexpr int kReaders = 20;
    goro::RWMutex mu;
    std::vector<std::atomic<goro::sched::G*>> readers(kReaders);
    std::atomic<int> inside{0};
    latch done(kReaders);
    mu.lock();
    for (int i = 0; i < kReaders; ++i) {
      goro::go([&, i] {
        readers[i] = goro::sched::current_g();
        std::shared_lock lock(mu);
        inside.fetch_add(1);
        while (inside.load() != kReaders) goro::yield();  // all inside together
        done.count_down();
      });
    }
    for (auto& r : readers) await_parked(r);
    EXPECT_EQ(inside.load(), 0);
    mu.unlock();
    done.wait();
    EXPECT_EQ(inside.load(), kReaders);
  });
}

GORO_INSTANTIATE_PROCS(RWMutexTest);

TEST(RWMutexDeathTest, UnlockOfUnlockedRWMutexIsFatal) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                goro::RWMutex m;
                m.unlock();
              }),
              ::testing::ExitedWithCode(2), "fatal error: sync: Unlock of unlocked RWMutex");
}

TEST(RWMutexDeathTest, RUnlockOfUnlockedRWMutexIsFatal) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                goro::RWMutex m;
                m.unlock_shared();
              }),
              ::testing::ExitedWithCode(2), "fatal error: sync: RUnlock of unlocked RWMutex");
}

TEST(RWMutexDeathTest, RUnlockOfWriteLockedRWMutexIsFatal) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                goro::RWMutex m;
                m.lock();
                m.unlock_shared();
              }),
              ::testing::ExitedWithCode(2), "fatal error: sync: RUnlock of unlocked RWMutex");
}

TEST(RWMutexDeathTest, LockWhileHoldingTheReadLockIsADeadlock) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                goro::RWMutex m;
                m.lock_shared();  // NOLINT(goro-lock-unlock): the deadlock under test
                m.lock();         // NOLINT(goro-lock-unlock): the deadlock under test
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!.*goroutine 1 "
              "\\[sync.RWMutex.Lock\\]:");
}

TEST(RWMutexDeathTest, LockTwiceIsADeadlock) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                goro::RWMutex m;
                m.lock();  // NOLINT(goro-lock-unlock): the deadlock under test
                m.lock();  // NOLINT(goro-lock-unlock): the deadlock under test
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!.*goroutine 1 "
              "\\[sync.RWMutex.Lock\\]:");
}

TEST(RWMutexDeathTest, RLockWhileWriteLockedIsADeadlock) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                goro::RWMutex m;
                m.lock();         // NOLINT(goro-lock-unlock): the deadlock under test
                m.lock_shared();  // NOLINT(goro-lock-unlock): the deadlock under test
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!.*goroutine 1 "
              "\\[sync.RWMutex.RLock\\]:");
}

}  // namespace
