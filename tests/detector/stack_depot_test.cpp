// The stack depot (detector/src/stack_depot.cpp) on its own: ids name stacks exactly (same stack,
// same id; any difference, another id), stored stacks read back intact through the table's growth,
// hash collisions are told apart by content, and threads interning the same stacks agree on ids.
// At its limits: very long stacks are stored whole (the depot truncates nothing), the hash is never
// 0 (the callers' "no cached hash") and sees every frame in place, and threads interning thousands
// of new stacks while both tables grow get one id per stack.
#include "stack_depot.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "context.hpp"
#include "history.hpp"

namespace goro::race {
namespace {

using stack = std::vector<std::uintptr_t>;

std::uint32_t put(const stack& s) {
  return depot_put(s.data(), s.size(), stack_hash(s.data(), s.size()));
}

stack get(std::uint32_t id) {
  std::size_t n = 0;
  const std::uintptr_t* pcs = depot_get(id, n);
  return n == 0 ? stack{} : stack(pcs, pcs + n);
}

// A stack no other test uses: tests share the process's one depot.
stack distinct(std::uintptr_t tag, std::size_t depth) {
  stack s;
  for (std::size_t i = 0; i < depth; ++i) s.push_back(0x7000'0000'0000 + tag * 0x1000 + i * 8);
  return s;
}

TEST(StackDepot, AnEmptyStackIsIdZero) {
  EXPECT_EQ(depot_put(nullptr, 0, 1), 0u);
  std::size_t n = 99;
  EXPECT_EQ(depot_get(0, n), nullptr);
  EXPECT_EQ(n, 0u);
}

TEST(StackDepot, TheSameStackGetsTheSameIdAndReadsBack) {
  const stack s = distinct(1, 5);
  const std::uint32_t id = put(s);
  EXPECT_NE(id, 0u);
  EXPECT_EQ(put(s), id);
  EXPECT_EQ(get(id), s);
}

TEST(StackDepot, AnyDifferenceGivesAnotherId) {
  const stack s = distinct(2, 4);
  stack prefix(s.begin(), s.begin() + 3);
  stack reversed(s.rbegin(), s.rend());
  stack changed = s;
  changed.back() += 1;
  const std::uint32_t id = put(s);
  for (const stack& other : {prefix, reversed, changed}) {
    const std::uint32_t other_id = put(other);
    EXPECT_NE(other_id, id);
    EXPECT_EQ(get(other_id), other);
  }
  EXPECT_EQ(get(id), s);
}

TEST(StackDepot, AnUnknownIdReadsAsEmpty) {
  put(distinct(3, 1));
  std::size_t n = 99;
  EXPECT_EQ(depot_get(0xffff'fff0u, n), nullptr);
  EXPECT_EQ(n, 0u);
}

TEST(StackDepot, CollidingHashesAreToldApartByContent) {
  const stack a = distinct(4, 3);
  const stack b = distinct(5, 3);
  constexpr std::uint64_t kSameHash = 0x1234'5679;
  const std::uint32_t id_a = depot_put(a.data(), a.size(), kSameHash);
  const std::uint32_t id_b = depot_put(b.data(), b.size(), kSameHash);
  EXPECT_NE(id_a, id_b);
  EXPECT_EQ(depot_put(a.data(), a.size(), kSameHash), id_a);
  EXPECT_EQ(get(id_a), a);
  EXPECT_EQ(get(id_b), b);
}

// The depot is the detector's own memory: finding a stack compares it with plain loads, not with
// libc's memcmp, which the detector interposes and would check (and record in the caller's history)
// as an access of the program's.
TEST(StackDepot, FindingAStoredStackLeavesNoEventInTheCallersHistory) {
  const stack s = distinct(6, 12);
  const std::uint32_t id = put(s);
  context* c = current();
  ASSERT_NE(c, nullptr);
  const std::uint64_t before = c->rec->pos.load();
  EXPECT_EQ(put(s), id);
  EXPECT_EQ(c->rec->pos.load(), before);
}

// Thousands of entries grow both the hash table and the id array several times over.
TEST(StackDepot, StacksSurviveTheTablesGrowth) {
  constexpr int kStacks = 5000;
  std::vector<std::uint32_t> ids;
  ids.reserve(kStacks);
  for (int i = 0; i < kStacks; ++i) ids.push_back(put(distinct(1000 + i, 1 + i % 7)));
  for (int i = 0; i < kStacks; ++i) {
    const stack s = distinct(1000 + i, 1 + i % 7);
    ASSERT_EQ(get(ids[i]), s) << "stack " << i;
    ASSERT_EQ(put(s), ids[i]) << "stack " << i;
  }
}

TEST(StackDepot, ThreadsInterningTheSameStacksAgreeOnIds) {
  constexpr int kThreads = 4;
  constexpr int kStacks = 300;
  std::vector<std::vector<std::uint32_t>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    ids[t].resize(kStacks);
    threads.emplace_back([t, &ids] {
      // Each thread walks the stacks from a different start, so first puts race.
      for (int k = 0; k < kStacks; ++k) {
        const int i = (k + t * kStacks / kThreads) % kStacks;
        ids[t][i] = put(distinct(100'000 + i, 3));
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int i = 0; i < kStacks; ++i) {
    for (int t = 1; t < kThreads; ++t) ASSERT_EQ(ids[t][i], ids[0][i]) << "stack " << i;
    EXPECT_EQ(get(ids[0][i]), distinct(100'000 + i, 3));
  }
}

TEST(StackDepot, LongStacksAreStoredWhole) {
  for (std::size_t depth : {std::size_t{1000}, std::size_t{65536}, std::size_t{200'000}}) {
    const stack s = distinct(depth, depth);
    const std::uint32_t id = put(s);
    ASSERT_NE(id, 0u);
    EXPECT_EQ(get(id), s) << depth << " frames";
    EXPECT_EQ(put(s), id) << depth << " frames";
    stack shorter(s.begin(), s.end() - 1);
    EXPECT_NE(put(shorter), id) << "one frame less, " << depth << " frames";
  }
}

TEST(StackDepot, TheHashIsNeverZeroAndSeesEveryFrameInPlace) {
  EXPECT_NE(stack_hash(nullptr, 0), 0u);
  std::mt19937_64 rng(7);
  std::set<stack> stacks;
  std::set<std::uint64_t> hashes;
  for (int round = 0; round < 10000; ++round) {
    stack s(1 + round % 9);
    for (std::uintptr_t& pc : s) pc = rng() % 4 == 0 ? 0 : rng() % 0x10000;  // zeros, small pcs
    const std::uint64_t h = stack_hash(s.data(), s.size());
    ASSERT_NE(h, 0u);
    ASSERT_EQ(stack_hash(s.data(), s.size()), h) << "a hash depends only on the stack";
    stacks.insert(s);
    hashes.insert(h);
  }
  EXPECT_EQ(hashes.size(), stacks.size()) << "no two of these stacks share a hash";
  // Stacks of zeros differ only in length; a swap or a one-bit change moves a frame.
  const stack zeros(4, 0), swapped = {2, 1, 3}, plain = {1, 2, 3}, bit = {1, 2, 3 ^ (1ull << 63)};
  EXPECT_NE(stack_hash(zeros.data(), 3), stack_hash(zeros.data(), 4));
  EXPECT_NE(stack_hash(plain.data(), 3), stack_hash(swapped.data(), 3));
  EXPECT_NE(stack_hash(plain.data(), 3), stack_hash(bit.data(), 3));
}

// Thread t interns stacks [t*kEach/2, t*kEach/2 + kEach): half of them also its neighbour's, all
// new, so first puts race while the hash table and the id array grow several times over.
TEST(StackDepot, ThreadsInterningNewStacksWhileTheTablesGrowAgreeOnIds) {
  constexpr int kThreads = 4;
  constexpr int kEach = 3000;
  constexpr int kStacks = kEach / 2 * (kThreads + 1);
  std::vector<std::vector<std::uint32_t>> ids(kThreads, std::vector<std::uint32_t>(kStacks));
  std::atomic<int> ready{0}, misread{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();
      for (int i = t * kEach / 2; i < t * kEach / 2 + kEach; ++i) {
        const stack s = distinct(500'000 + i, 1 + i % 5);
        ids[t][i] = put(s);
        if (get(ids[t][i]) != s) misread.fetch_add(1);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(misread.load(), 0);
  std::set<std::uint32_t> unique;
  for (int i = 0; i < kStacks; ++i) {
    std::uint32_t id = 0;
    for (int t = 0; t < kThreads; ++t) {
      if (ids[t][i] == 0) continue;  // not one of t's stacks
      if (id != 0) ASSERT_EQ(ids[t][i], id) << "stack " << i << ", thread " << t;
      id = ids[t][i];
    }
    ASSERT_NE(id, 0u) << "stack " << i;
    ASSERT_EQ(get(id), distinct(500'000 + i, 1 + i % 5)) << "stack " << i;
    unique.insert(id);
  }
  EXPECT_EQ(unique.size(), std::size_t{kStacks}) << "one id per stack";
}

}  // namespace
}  // namespace goro::race
