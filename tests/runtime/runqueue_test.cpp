// The per-P run queue (sched/run_queue.hpp), driven directly with fake G pointers: no scheduler, no
// goro::run. A fake G is the address of an `item`, whose atomic counter records how often it was
// taken, so the concurrent test can check every item came out exactly once.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include "sched/run_queue.hpp"

namespace {

using goro::sched::G;
using goro::sched::run_queue;

constexpr std::uint32_t kSize = run_queue::kSize;

struct item {
  std::atomic<int> taken{0};
};

// A pool of fake goroutines: g(i) is a distinct, stable pointer, index(g) maps it back.
class fake_gs {
 public:
  explicit fake_gs(std::size_t n) : items_(new item[n]), n_(n) {}
  G* g(std::size_t i) const { return reinterpret_cast<G*>(&items_[i]); }
  std::size_t index(G* g) const {
    return static_cast<std::size_t>(reinterpret_cast<item*>(g) - &items_[0]);
  }
  item& at(std::size_t i) { return items_[i]; }
  std::size_t size() const { return n_; }

 private:
  std::unique_ptr<item[]> items_;
  std::size_t n_;
};

// Moves head and tail forward by `shift` so later operations wrap around the ring.
void advance(run_queue& q, const fake_gs& gs, std::uint32_t shift) {
  for (std::uint32_t i = 0; i < shift; ++i) {
    ASSERT_TRUE(q.push_back(gs.g(0)));
    ASSERT_EQ(q.pop_front(), gs.g(0));
  }
}

TEST(RunQueue, StartsEmpty) {
  run_queue q;
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.size(), 0u);
  EXPECT_EQ(q.pop_front(), nullptr);
  EXPECT_EQ(q.runnext.load(), nullptr);
}

TEST(RunQueue, PopsInFifoOrder) {
  fake_gs gs(10);
  run_queue q;
  for (std::size_t i = 0; i < gs.size(); ++i) ASSERT_TRUE(q.push_back(gs.g(i)));
  EXPECT_EQ(q.size(), 10u);
  EXPECT_FALSE(q.empty());
  for (std::size_t i = 0; i < gs.size(); ++i) EXPECT_EQ(q.pop_front(), gs.g(i)) << "at " << i;
  EXPECT_EQ(q.pop_front(), nullptr);
  EXPECT_TRUE(q.empty());
}

TEST(RunQueue, FifoOrderHoldsAcrossManyWrapArounds) {
  fake_gs gs(5000);
  run_queue q;
  std::size_t pushed = 0, popped = 0;
  // Keep about 200 queued while pushing and popping in alternation: the ring wraps many times.
  while (pushed < 200) ASSERT_TRUE(q.push_back(gs.g(pushed++)));
  while (popped < gs.size()) {
    if (pushed < gs.size()) ASSERT_TRUE(q.push_back(gs.g(pushed++))) << "push " << pushed;
    ASSERT_EQ(q.pop_front(), gs.g(popped)) << "pop " << popped;
    ++popped;
    ASSERT_EQ(q.size(), pushed - popped);
  }
  EXPECT_TRUE(q.empty());
}

TEST(RunQueue, PushFailsWhenAllSlotsAreFull) {
  fake_gs gs(kSize + 1);
  run_queue q;
  for (std::uint32_t i = 0; i < kSize; ++i) ASSERT_TRUE(q.push_back(gs.g(i))) << "push " << i;
  EXPECT_EQ(q.size(), kSize);
  EXPECT_FALSE(q.push_back(gs.g(kSize)));
  EXPECT_EQ(q.size(), kSize);
  // The failed push did not overwrite anything; one pop makes room for exactly one more.
  EXPECT_EQ(q.pop_front(), gs.g(0));
  EXPECT_TRUE(q.push_back(gs.g(kSize)));
  EXPECT_FALSE(q.push_back(gs.g(0)));
  for (std::uint32_t i = 1; i <= kSize; ++i) EXPECT_EQ(q.pop_front(), gs.g(i)) << "pop " << i;
  EXPECT_TRUE(q.empty());
}

TEST(RunQueue, PushFailsWhenFullAfterWrapping) {
  fake_gs gs(kSize + 1);
  run_queue q;
  advance(q, gs, 100);
  for (std::uint32_t i = 0; i < kSize; ++i) ASSERT_TRUE(q.push_back(gs.g(i)));
  EXPECT_FALSE(q.push_back(gs.g(kSize)));
  for (std::uint32_t i = 0; i < kSize; ++i) EXPECT_EQ(q.pop_front(), gs.g(i));
}

class RunQueueOverflow : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(RunQueueOverflow, TakesExactlyTheOlderHalfWhenFull) {
  fake_gs gs(kSize + 1);
  run_queue q;
  advance(q, gs, GetParam());
  for (std::uint32_t i = 0; i < kSize; ++i) ASSERT_TRUE(q.push_back(gs.g(i)));
  std::vector<G*> out(kSize, nullptr);
  ASSERT_EQ(q.take_half_for_overflow(out.data()), kSize / 2);
  for (std::uint32_t i = 0; i < kSize / 2; ++i) EXPECT_EQ(out[i], gs.g(i)) << "out[" << i << "]";
  for (std::uint32_t i = kSize / 2; i < kSize; ++i) EXPECT_EQ(out[i], nullptr) << "wrote past half";
  EXPECT_EQ(q.size(), kSize / 2);
  // The newer half stays, in order, and there is room again.
  EXPECT_TRUE(q.push_back(gs.g(kSize)));
  for (std::uint32_t i = kSize / 2; i <= kSize; ++i)
    EXPECT_EQ(q.pop_front(), gs.g(i)) << "pop " << i;
  EXPECT_TRUE(q.empty());
}

INSTANTIATE_TEST_SUITE_P(Shift, RunQueueOverflow,
                         ::testing::Values(0u, 1u, 100u, kSize - 1, kSize + 7));

TEST(RunQueue, TakeHalfForOverflowRefusesWhenNotFull) {
  fake_gs gs(kSize);
  run_queue q;
  for (std::uint32_t i = 0; i < kSize - 1; ++i) ASSERT_TRUE(q.push_back(gs.g(i)));
  std::vector<G*> out(kSize, nullptr);
  EXPECT_EQ(q.take_half_for_overflow(out.data()), 0u);
  EXPECT_EQ(q.size(), kSize - 1);
  EXPECT_EQ(q.pop_front(), gs.g(0));

  run_queue empty;
  EXPECT_EQ(empty.take_half_for_overflow(out.data()), 0u);
  EXPECT_TRUE(empty.empty());
}

// steal_half_into for every queue length and several ring offsets of both queues.
struct steal_case {
  std::uint32_t n;
  std::uint32_t src_shift;
  std::uint32_t dst_shift;
};

class RunQueueSteal : public ::testing::TestWithParam<steal_case> {};

TEST_P(RunQueueSteal, MovesHalfRoundedUpPreservingOrder) {
  const auto [n, src_shift, dst_shift] = GetParam();
  fake_gs gs(kSize);
  run_queue from, to;
  advance(from, gs, src_shift);
  advance(to, gs, dst_shift);
  for (std::uint32_t i = 0; i < n; ++i) ASSERT_TRUE(from.push_back(gs.g(i)));

  const std::uint32_t want = n - n / 2;
  ASSERT_EQ(from.steal_half_into(to), want) << "n=" << n;
  EXPECT_EQ(to.size(), want);
  EXPECT_EQ(from.size(), n - want);
  // The thief got the oldest ones, in order; the victim kept the newest, in order.
  for (std::uint32_t i = 0; i < want; ++i) EXPECT_EQ(to.pop_front(), gs.g(i)) << "to " << i;
  EXPECT_EQ(to.pop_front(), nullptr);
  for (std::uint32_t i = want; i < n; ++i) EXPECT_EQ(from.pop_front(), gs.g(i)) << "from " << i;
  EXPECT_EQ(from.pop_front(), nullptr);
}

std::vector<steal_case> steal_cases() {
  std::vector<steal_case> cases;
  for (std::uint32_t n : {0u, 1u, 2u, 3u, 4u, 5u, 127u, 128u, 129u, 255u, 256u}) {
    for (std::uint32_t src : {0u, 200u}) {
      for (std::uint32_t dst : {0u, 250u}) cases.push_back({n, src, dst});
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Lengths, RunQueueSteal, ::testing::ValuesIn(steal_cases()),
                         [](const ::testing::TestParamInfo<steal_case>& info) {
                           return "n" + std::to_string(info.param.n) + "_src" +
                                  std::to_string(info.param.src_shift) + "_dst" +
                                  std::to_string(info.param.dst_shift);
                         });

TEST(RunQueue, RepeatedStealsDrainTheVictim) {
  fake_gs gs(kSize);
  run_queue from;
  for (std::uint32_t i = 0; i < kSize; ++i) ASSERT_TRUE(from.push_back(gs.g(i)));
  std::uint32_t next = 0;
  std::vector<std::uint32_t> batches;
  for (;;) {
    run_queue to;
    std::uint32_t got = from.steal_half_into(to);
    if (got == 0) break;
    batches.push_back(got);
    for (std::uint32_t i = 0; i < got; ++i) ASSERT_EQ(to.pop_front(), gs.g(next++));
  }
  EXPECT_EQ(next, kSize);
  EXPECT_TRUE(from.empty());
  // 256 -> 128 taken, 128 -> 64, ... 1 -> 1.
  EXPECT_EQ(batches, (std::vector<std::uint32_t>{128, 64, 32, 16, 8, 4, 2, 1, 1}));
}

// One owner thread pushes (moving half of a full queue to a private overflow list, as the scheduler
// does into the global queue) and pops; two thieves steal into their own queues and drain them.
// Every item must come out exactly once.
TEST(RunQueue, ConcurrentOwnerAndThievesTakeEveryItemExactlyOnce) {
  constexpr std::size_t kItems = 2'000'000;
  fake_gs gs(kItems);
  run_queue victim;
  std::atomic<bool> owner_done{false};
  std::atomic<std::size_t> taken_by_thieves{0};
  std::atomic<std::size_t> steals{0};

  auto thief = [&] {
    run_queue mine;
    std::size_t local = 0;
    for (;;) {
      const bool last = owner_done.load(std::memory_order_acquire);
      if (victim.steal_half_into(mine) > 0) steals.fetch_add(1, std::memory_order_relaxed);
      while (G* g = mine.pop_front()) {
        gs.at(gs.index(g)).taken.fetch_add(1, std::memory_order_relaxed);
        ++local;
      }
      if (last) break;  // the owner finished before this final round began: nothing can be left
    }
    taken_by_thieves.fetch_add(local);
  };
  std::thread t1(thief), t2(thief);

  std::size_t taken_by_owner = 0, overflowed = 0;
  std::vector<G*> overflow(kSize);
  auto take = [&](G* g) {
    gs.at(gs.index(g)).taken.fetch_add(1, std::memory_order_relaxed);
    ++taken_by_owner;
  };
  for (std::size_t i = 0; i < kItems; ++i) {
    while (!victim.push_back(gs.g(i))) {
      std::uint32_t n = victim.take_half_for_overflow(overflow.data());
      for (std::uint32_t k = 0; k < n; ++k) take(overflow[k]);
      overflowed += n;
    }
    if (i % 3 == 0) {
      if (G* g = victim.pop_front()) take(g);
    }
  }
  while (G* g = victim.pop_front()) take(g);
  owner_done.store(true, std::memory_order_release);
  t1.join();
  t2.join();

  EXPECT_EQ(taken_by_owner + taken_by_thieves.load(), kItems);
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < kItems; ++i) {
    int n = gs.at(i).taken.load();
    if (n != 1 && wrong++ < 10) ADD_FAILURE() << "item " << i << " taken " << n << " times";
  }
  EXPECT_EQ(wrong, 0u);
  EXPECT_TRUE(victim.empty());
  // Not asserted (scheduling decides), but useful when the test is read in a log.
  std::printf("owner %zu (overflowed %zu), thieves %zu in %zu steals\n", taken_by_owner, overflowed,
              taken_by_thieves.load(), steals.load());
}

}  // namespace
