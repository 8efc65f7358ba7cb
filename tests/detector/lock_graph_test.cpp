// The lock-order graph (detector/src/lock_graph.cpp) on its own: a new edge closing a cycle is
// found once, with its edges in order from the oldest; consistent orders never close one; a dropped
// node (memory freed, mutex destroyed) takes its edges along, so a new lock at the same address
// starts clean; and the tables stay within their caps however many locks and edges come.
#include "lock_graph.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>

namespace goro::race {
namespace {

class LockGraphTest : public ::testing::Test {
 protected:
  void SetUp() override { lock_graph_set_limits_for_testing(0, 0); }
  void TearDown() override { lock_graph_set_limits_for_testing(0, 0); }

  static bool add(lock_id from, lock_id to, lock_cycle* out = nullptr) {
    lock_cycle cycle;
    lock_edge_info info;
    const bool closed = lock_edge_add(from, to, info, cycle);
    if (out != nullptr) *out = cycle;
    return closed;
  }
};

TEST_F(LockGraphTest, InvertedPairClosesACycleOnce) {
  const lock_id a = lock_node_new(0x1000);
  const lock_id b = lock_node_new(0x2000);
  EXPECT_FALSE(add(a, b));
  lock_cycle cycle;
  ASSERT_TRUE(add(b, a, &cycle));
  ASSERT_EQ(cycle.n, 2u);
  EXPECT_EQ(cycle.edges[0].from_addr, 0x1000u) << "the oldest edge comes first";
  EXPECT_EQ(cycle.edges[0].to_addr, 0x2000u);
  EXPECT_EQ(cycle.edges[1].from_addr, 0x2000u);
  EXPECT_EQ(cycle.edges[1].to_addr, 0x1000u);
  EXPECT_FALSE(add(b, a)) << "a known edge closes nothing new";
  EXPECT_FALSE(add(a, b));
  EXPECT_EQ(lock_edge_count(), 2u);
}

TEST_F(LockGraphTest, ThreeLockCycleListsItsEdgesInOrder) {
  const lock_id a = lock_node_new(0xa0);
  const lock_id b = lock_node_new(0xb0);
  const lock_id c = lock_node_new(0xc0);
  EXPECT_FALSE(add(a, b));
  EXPECT_FALSE(add(b, c));
  lock_cycle cycle;
  ASSERT_TRUE(add(c, a, &cycle));
  ASSERT_EQ(cycle.n, 3u);
  const std::uintptr_t want[3][2] = {{0xa0, 0xb0}, {0xb0, 0xc0}, {0xc0, 0xa0}};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(cycle.edges[i].from_addr, want[i][0]) << i;
    EXPECT_EQ(cycle.edges[i].to_addr, want[i][1]) << i;
  }
}

lock_edge_info gated_by(std::initializer_list<lock_id> gates) {
  lock_edge_info info;
  for (lock_id g : gates) info.gates[info.n_gates++] = g;
  return info;
}

TEST_F(LockGraphTest, ACycleMadeUnderOneGateLockIsNoInversion) {
  const lock_id gate = lock_node_new(0x10);
  const lock_id a = lock_node_new(0x1000);
  const lock_id b = lock_node_new(0x2000);
  lock_cycle cycle;
  EXPECT_FALSE(lock_edge_add(a, b, gated_by({gate}), cycle));
  EXPECT_FALSE(lock_edge_add(b, a, gated_by({gate}), cycle))
      << "both orders were taken holding `gate`: they cannot interleave";
  // The same edge made again without the gate (another goroutine) narrows the edge's gates, and
  // the cycle through it is reported then.
  ASSERT_TRUE(lock_edge_add(b, a, gated_by({}), cycle));
  EXPECT_EQ(cycle.n, 2u);
}

TEST_F(LockGraphTest, DifferentGatesDoNotProtect) {
  const lock_id g1 = lock_node_new(0x10);
  const lock_id g2 = lock_node_new(0x20);
  const lock_id a = lock_node_new(0x1000);
  const lock_id b = lock_node_new(0x2000);
  lock_cycle cycle;
  EXPECT_FALSE(lock_edge_add(a, b, gated_by({g1}), cycle));
  EXPECT_TRUE(lock_edge_add(b, a, gated_by({g2}), cycle));
}

TEST_F(LockGraphTest, ConsistentOrderNeverClosesACycle) {
  lock_id locks[8];
  for (int i = 0; i < 8; ++i) locks[i] = lock_node_new(0x100 + 8 * i);
  // Every pair in index order, from many "goroutines": a DAG.
  for (int i = 0; i < 8; ++i) {
    for (int j = i + 1; j < 8; ++j) EXPECT_FALSE(add(locks[i], locks[j]));
  }
  EXPECT_EQ(lock_edge_count(), 28u);
}

TEST_F(LockGraphTest, DroppedLockTakesItsEdgesAlong) {
  const lock_id a = lock_node_new(0x1000);
  const lock_id b = lock_node_new(0x2000);
  EXPECT_FALSE(add(a, b));
  lock_node_drop(a);
  lock_node_drop(b);
  EXPECT_FALSE(lock_node_live(a));
  EXPECT_FALSE(lock_node_live(b));
  // New locks at the same addresses, taken the other way round: no cycle with the old ones.
  const lock_id a2 = lock_node_new(0x1000);
  const lock_id b2 = lock_node_new(0x2000);
  EXPECT_NE(a2, a);
  EXPECT_NE(b2, b);
  EXPECT_FALSE(add(b2, a2));
  EXPECT_FALSE(add(a, b2)) << "an edge from a dropped node is refused";
  EXPECT_EQ(lock_node_count(), 2u);
}

TEST_F(LockGraphTest, EdgesIntoADroppedLockNoLongerCloseCycles) {
  const lock_id a = lock_node_new(0x1000);
  const lock_id b = lock_node_new(0x2000);
  const lock_id c = lock_node_new(0x3000);
  EXPECT_FALSE(add(a, b));
  EXPECT_FALSE(add(b, c));
  lock_node_drop(b);  // a→b stays in a's list until a walk meets it
  EXPECT_FALSE(add(c, a)) << "the path a→b→c went through a dropped lock";
}

TEST_F(LockGraphTest, AMillionLocksInAChainStayUnderTheCaps) {
  constexpr std::uint32_t kNodes = 4096, kEdges = 8192;
  lock_graph_set_limits_for_testing(kNodes, kEdges);
  lock_id prev = lock_node_new(0x10);
  for (std::uintptr_t i = 1; i < 1000000; ++i) {
    const lock_id next = lock_node_new(0x10 + 16 * i);
    if (lock_node_live(prev)) EXPECT_FALSE(add(prev, next));
    prev = next;
    ASSERT_LE(lock_node_count(), kNodes);
    ASSERT_LE(lock_edge_count(), kEdges);
  }
}

TEST_F(LockGraphTest, FullEdgePoolSweepsEdgesIntoDroppedLocks) {
  constexpr std::uint32_t kEdges = 64;
  lock_graph_set_limits_for_testing(0, kEdges);
  const lock_id hub = lock_node_new(0x10);
  // A long-lived lock held while taking many short-lived ones, each freed after use.
  for (std::uintptr_t i = 0; i < 10000; ++i) {
    const lock_id leaf = lock_node_new(0x1000 + 16 * i);
    EXPECT_FALSE(add(hub, leaf));
    lock_node_drop(leaf);
    ASSERT_LE(lock_edge_count(), kEdges);
  }
  EXPECT_TRUE(lock_node_live(hub)) << "sweeping the stale edges was enough: nothing forgotten";
}

}  // namespace
}  // namespace goro::race
