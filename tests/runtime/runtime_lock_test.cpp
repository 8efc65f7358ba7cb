// The runtime's short lock (sched/runtime_lock.hpp) under contention, on plain threads: mutual
// exclusion, and progress when holders sleep inside so that waiters go to sleep on the futex
// (the class's sleeper count and its plain-store unlock), for both the class and the bare word.
#include "sched/runtime_lock.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace {

using goro::sched::runtime_lock;

// Threads that each take `lock` `rounds` times and bump a plain counter inside; every `nap`th
// round the holder sleeps for a while, long enough that the others stop spinning and sleep.
template <class Lock, class Unlock>
std::int64_t contend(Lock lock, Unlock unlock, int threads, int rounds, int nap) {
  std::int64_t counter = 0;  // plain: the lock is all that protects it
  std::atomic<int> inside{0};
  std::atomic<bool> overlap{false};
  std::vector<std::thread> ts;
  ts.reserve(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&] {
      for (int i = 0; i < rounds; ++i) {
        lock();
        if (inside.fetch_add(1) != 0) overlap = true;
        ++counter;
        if (nap != 0 && i % nap == 0) usleep(200);
        inside.fetch_sub(1);
        unlock();
      }
    });
  }
  for (auto& t : ts) t.join();
  EXPECT_FALSE(overlap.load()) << "two holders at once";
  return counter;
}

TEST(RuntimeLock, ExcludesUnderContention) {
  runtime_lock l;
  EXPECT_EQ(contend([&] { l.lock(); }, [&] { l.unlock(); }, 8, 20000, 0), 8 * 20000);
}

TEST(RuntimeLock, WaitersThatSleepAreWokenAndAllFinish) {
  runtime_lock l;
  EXPECT_EQ(contend([&] { l.lock(); }, [&] { l.unlock(); }, 8, 400, 4), 8 * 400);
}

TEST(RuntimeLock, BareWordExcludesAndWakesItsSleepers) {
  std::atomic<std::uint32_t> word{0};
  auto lock = [&] { goro::sched::lock_word(word); };
  auto unlock = [&] { goro::sched::unlock_word(word); };
  EXPECT_EQ(contend(lock, unlock, 8, 20000, 0), 8 * 20000);
  EXPECT_EQ(contend(lock, unlock, 8, 400, 4), 8 * 400);
  EXPECT_EQ(word.load(), 0u);
}

// Released by another thread than the one that took it, as park's unlock callback may be.
TEST(RuntimeLock, AnotherThreadMayRelease) {
  runtime_lock l;
  l.lock();
  std::thread([&] { l.unlock(); }).join();
  l.lock();
  l.unlock();
}

}  // namespace
