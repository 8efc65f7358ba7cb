// The sync-object table (detector/src/sync_table.cpp) under threads, beside sync_table_test.cpp:
// creators racing for one address agree on one object and leak none, objects pushed at once onto
// one word's list all stay on it, a lookup racing with creation finds its own address's object or
// none, and threads freeing neighbouring ranges of several 64 KiB summary chunks each drop exactly
// their own objects. The detector initialises itself at process start; plain threads stand in for
// the goroutines and threads that share the table.
#include <gtest/gtest.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <thread>
#include <vector>

#include "sync_table.hpp"

namespace goro::race {
namespace {

constexpr int kThreads = 4;

// Runs body(t) on kThreads threads released together, then check(objects created) while they have
// finished their bodies but not yet exited (a thread's start and end make sync objects of their
// own).
template <class Body, class Check>
void on_threads(Body body, Check check) {
  std::atomic<int> ready{0}, done{0};
  std::atomic<bool> go{false}, leave{false};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ready.fetch_add(1);
      while (!go.load()) std::this_thread::yield();
      body(t);
      done.fetch_add(1);
      while (!leave.load()) std::this_thread::yield();
    });
  }
  while (ready.load() < kThreads) std::this_thread::yield();
  const std::size_t before = sync_object_count();
  go.store(true);
  while (done.load() < kThreads) std::this_thread::yield();
  check(static_cast<std::ptrdiff_t>(sync_object_count() - before));
  leave.store(true);
  for (std::thread& th : threads) th.join();
}

class SyncTableConcurrency : public ::testing::Test {
 protected:
  void SetUp() override {
    block_ = std::aligned_alloc(std::size_t{1} << 16, kBytes);
    ASSERT_NE(block_, nullptr);
    base_ = reinterpret_cast<std::uintptr_t>(block_);
  }
  void TearDown() override { std::free(block_); }  // drops what a test left

  static constexpr std::size_t kBytes = std::size_t{1} << 20;  // 16 summary chunks
  void* block_ = nullptr;
  std::uintptr_t base_ = 0;
};

TEST_F(SyncTableConcurrency, CreatorsOfOneAddressShareOneObject) {
  constexpr int kAddrs = 2000;
  std::vector<std::vector<sync_object*>> got(kThreads, std::vector<sync_object*>(kAddrs));
  on_threads(
      [&](int t) {
        // All in the same order: threads running at once reach each new address together.
        for (int i = 0; i < kAddrs; ++i) got[t][i] = sync_find_or_create(base_ + 8 * i);
      },
      [&](std::ptrdiff_t created) { EXPECT_EQ(created, kAddrs) << "one per address"; });
  for (int i = 0; i < kAddrs; ++i) {
    ASSERT_NE(got[0][i], nullptr);
    ASSERT_EQ(got[0][i]->addr, base_ + 8 * i);
    for (int t = 1; t < kThreads; ++t) ASSERT_EQ(got[t][i], got[0][i]) << "address " << i;
    ASSERT_EQ(sync_find(base_ + 8 * i), got[0][i]);
  }
}

// Eight objects in each word (an RWMutex keeps two semaphores in one), pushed concurrently.
TEST_F(SyncTableConcurrency, ObjectsPushedOntoOneWordAtOnceAllStay) {
  constexpr int kWords = 2000;
  on_threads(
      [&](int t) {
        for (int w = 0; w < kWords; ++w) {
          for (int b = t; b < 8; b += kThreads) sync_find_or_create(base_ + 8 * w + b);
        }
      },
      [&](std::ptrdiff_t created) { EXPECT_EQ(created, 8 * kWords); });
  for (int w = 0; w < kWords; ++w) {
    for (int b = 0; b < 8; ++b) {
      const sync_object* s = sync_find(base_ + 8 * w + b);
      ASSERT_NE(s, nullptr) << "word " << w << " byte " << b;
      ASSERT_EQ(s->addr, base_ + 8 * w + b);
    }
  }
}

// Thread 0 creates while the others scan, until it is done and once more: every object found is
// the one of the address looked up, and the last scan finds them all.
TEST_F(SyncTableConcurrency, LookupsRacingWithCreationFindTheirOwnAddressOrNothing) {
  constexpr int kAddrs = 4000;  // two objects per word, at +0 and +4
  std::atomic<bool> created_all{false};
  std::atomic<int> wrong{0}, missing{0};
  on_threads(
      [&](int t) {
        if (t == 0) {
          for (int i = 0; i < kAddrs; ++i) sync_find_or_create(base_ + 4 * i);
          created_all.store(true);
          return;
        }
        for (bool last = false; !last;) {
          last = created_all.load();
          for (int i = 0; i < kAddrs; ++i) {
            const sync_object* s = sync_find(base_ + 4 * i);
            if (s != nullptr && s->addr != base_ + 4 * i) wrong.fetch_add(1);
            if (s == nullptr && last) missing.fetch_add(1);
          }
        }
      },
      [&](std::ptrdiff_t created) { EXPECT_EQ(created, kAddrs); });
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(missing.load(), 0);
}

// Each thread owns 256 KiB (four summary chunks) and frees all of it but its first and last words,
// while its neighbours free theirs: the objects inside, on every chunk boundary, go; those two
// stay.
TEST_F(SyncTableConcurrency, NeighbouringRangesFreedAtOnceDropExactlyTheirObjects) {
  constexpr std::size_t kShare = kBytes / kThreads;
  constexpr std::size_t kChunk = std::size_t{1} << 16;
  std::vector<std::vector<std::uintptr_t>> inside(kThreads), ends(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    const std::uintptr_t lo = base_ + t * kShare, hi = lo + kShare;
    ends[t] = {lo, hi - 8};
    inside[t] = {lo + 8, hi - 16};
    for (std::uintptr_t c = lo + kChunk; c < hi; c += kChunk) {
      inside[t].push_back(c - 8);
      inside[t].push_back(c);
    }
    for (std::uintptr_t a : ends[t]) sync_find_or_create(a);
    for (std::uintptr_t a : inside[t]) sync_find_or_create(a);
  }
  on_threads([&](int t) { sync_free_range(base_ + t * kShare + 8, kShare - 16); },
             [&](std::ptrdiff_t created) {
               EXPECT_EQ(created, -static_cast<std::ptrdiff_t>(kThreads * inside[0].size()));
             });
  for (int t = 0; t < kThreads; ++t) {
    for (std::uintptr_t a : inside[t]) EXPECT_EQ(sync_find(a), nullptr) << "+" << a - base_;
    for (std::uintptr_t a : ends[t]) EXPECT_NE(sync_find(a), nullptr) << "+" << a - base_;
  }
}

}  // namespace
}  // namespace goro::race
