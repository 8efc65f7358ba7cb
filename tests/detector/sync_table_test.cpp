// The sync-object table (detector/src/sync_table.cpp) on its own: lookup and creation through the
// meta shadow, objects sharing one 8-byte word kept apart, and a freed range dropping exactly the
// objects that lived in it. The detector initialises itself at process start, so no goroutine is
// needed; the addresses are in a heap block the test owns.
#include "sync_table.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>

namespace goro::race {
namespace {

class SyncTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    block_ = std::aligned_alloc(64, kBytes);
    ASSERT_NE(block_, nullptr);
    base_ = reinterpret_cast<std::uintptr_t>(block_);
  }
  void TearDown() override { std::free(block_); }

  static constexpr std::size_t kBytes = 4096;
  void* block_ = nullptr;
  std::uintptr_t base_ = 0;
};

TEST_F(SyncTableTest, NothingIsFoundWhereNothingWasCreated) {
  EXPECT_EQ(sync_find(base_), nullptr);
  EXPECT_EQ(sync_find(base_ + 128), nullptr);
}

TEST_F(SyncTableTest, CreatedObjectsAreFoundAgainWithTheirAddress) {
  sync_object* s = sync_find_or_create(base_ + 16);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->addr, base_ + 16);
  EXPECT_EQ(sync_find(base_ + 16), s);
  EXPECT_EQ(sync_find_or_create(base_ + 16), s);
  EXPECT_EQ(sync_find(base_ + 24), nullptr) << "the next word has no object";
}

// An RWMutex keeps two semaphores in one word: each needs its own clock.
TEST_F(SyncTableTest, ObjectsInOneWordStaySeparate) {
  sync_object* a = sync_find_or_create(base_ + 32);
  sync_object* b = sync_find_or_create(base_ + 36);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a, b);
  EXPECT_EQ(sync_find(base_ + 32), a);
  EXPECT_EQ(sync_find(base_ + 36), b);
  EXPECT_EQ(sync_find(base_ + 34), nullptr) << "a lookup matches the exact address";
}

TEST_F(SyncTableTest, FreeingARangeDropsOnlyTheObjectsInIt) {
  const std::size_t before = sync_object_count();
  sync_find_or_create(base_);
  sync_find_or_create(base_ + 8);
  sync_find_or_create(base_ + 12);
  sync_object* kept = sync_find_or_create(base_ + 16);
  EXPECT_EQ(sync_object_count(), before + 4);

  sync_free_range(base_, 16);
  EXPECT_EQ(sync_find(base_), nullptr);
  EXPECT_EQ(sync_find(base_ + 8), nullptr);
  EXPECT_EQ(sync_find(base_ + 12), nullptr);
  EXPECT_EQ(sync_find(base_ + 16), kept);
  EXPECT_EQ(sync_object_count(), before + 1);
}

TEST_F(SyncTableTest, DroppedObjectsAreRecycled) {
  const std::size_t before = sync_object_count();
  for (int round = 0; round < 1000; ++round) {
    for (std::uintptr_t off = 0; off < 256; off += 8) sync_find_or_create(base_ + off);
    sync_free_range(base_, 256);
  }
  EXPECT_EQ(sync_object_count(), before);
  EXPECT_EQ(sync_find(base_ + 8), nullptr);
}

TEST_F(SyncTableTest, FreeingTheHeapBlockDropsItsObjects) {
  const std::size_t before = sync_object_count();
  void* other = std::malloc(256);
  ASSERT_NE(other, nullptr);
  const auto at = reinterpret_cast<std::uintptr_t>(other);
  sync_find_or_create(at);
  sync_find_or_create(at + 64);
  EXPECT_EQ(sync_object_count(), before + 2);
  std::free(other);  // the race runtime's free drops the block's objects
  EXPECT_EQ(sync_object_count(), before);
}

}  // namespace
}  // namespace goro::race
