// Batches of fresh default stacks (stack::allocate_default, the per-P cache's refill) and the page
// population that prepares them (stack/prefault.hpp).
//
// White-box facts used here (see stack.hpp): slab slots are carved in address order, one
// slot_size apart, and a slot's canary sits kCanaryBytes below its base, in the top page of the
// slot below.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <set>
#include <vector>

#include "stack/prefault.hpp"
#include "stack/stack.hpp"

namespace {

namespace st = goro::stack;
using st::kPageSize;

// Whether the page at addr is resident (mincore).
bool resident(std::uintptr_t addr) {
  unsigned char vec = 0;
  EXPECT_EQ(mincore(reinterpret_cast<void*>(addr), kPageSize, &vec), 0) << std::strerror(errno);
  return (vec & 1) != 0;
}

// Whether this kernel knows MADV_POPULATE_WRITE (Linux 5.14); older ones answer EINVAL.
bool kernel_can_populate() {
  void* p = mmap(nullptr, kPageSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  const bool ok = madvise(p, kPageSize, 23 /* MADV_POPULATE_WRITE */) == 0;
  munmap(p, kPageSize);
  return ok;
}

std::uintptr_t page_of(std::uintptr_t addr) { return addr & ~(kPageSize - 1); }

TEST(StackBatch, ReturnsBetweenOneAndWantDistinctStacksWithIntactCanaries) {
  for (std::size_t want : {1u, 2u, 16u, 40u}) {
    std::vector<st::stack> got(want);
    const std::size_t n = st::allocate_default(got.data(), want);
    ASSERT_GE(n, 1u);
    ASSERT_LE(n, want);
    std::set<std::uintptr_t> los;
    for (std::size_t i = 0; i < n; ++i) {
      const st::stack& s = got[i];
      EXPECT_NE(s.canary, 0u) << "a default stack comes from a slab";
      EXPECT_GE(s.size(), st::default_size());
      EXPECT_TRUE(st::canary_intact(s)) << "stack " << i << " of " << n;
      std::memset(reinterpret_cast<void*>(s.lo), 0x5a, s.hi - s.lo);
      EXPECT_TRUE(st::canary_intact(s)) << "its own stack must not reach its canary";
      los.insert(s.lo);
    }
    EXPECT_EQ(los.size(), n) << "no stack is handed out twice in one batch";
    // Writing a whole stack must leave every other stack's canary intact.
    for (std::size_t i = 0; i < n; ++i) EXPECT_TRUE(st::canary_intact(got[i]));
    for (std::size_t i = 0; i < n; ++i) st::release(got[i]);
  }
}

TEST(StackBatch, WantOfZeroStillGivesOneStack) {
  st::stack s;
  ASSERT_EQ(st::allocate_default(&s, 0), 1u);
  EXPECT_TRUE(st::canary_intact(s));
  st::release(s);
}

TEST(StackBatch, ReleasedStacksComeBackBeforeFreshOnes) {
  st::stack a = st::allocate(0);
  st::stack b = st::allocate(0);
  st::release(a);
  st::release(b);
  st::stack got[2];
  ASSERT_EQ(st::allocate_default(got, 2), 2u) << "the pool holds at least the two just released";
  EXPECT_EQ((std::set<std::uintptr_t>{got[0].lo, got[1].lo}),
            (std::set<std::uintptr_t>{a.lo, b.lo}))
      << "the most recently released stacks come back (warm), not fresh ones";
  st::release(got[0]);
  st::release(got[1]);
}

// In a process of its own (the threadsafe death-test style re-runs the binary for this test
// alone), so that the pool holds no released stack and the batch is carved fresh.
TEST(StackBatchDeathTest, AFreshBatchHasTheTopPageOfEveryStackPopulatedAndNothingDeeper) {
  if (!kernel_can_populate()) GTEST_SKIP() << "this kernel has no MADV_POPULATE_WRITE";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        st::stack got[16];
        const std::size_t n = st::allocate_default(got, 16);
        int bad = n == 16 ? 0 : 100;
        for (std::size_t i = 0; i < n; ++i) {
          // Nothing but the preparation has touched these stacks: without population the top
          // page of the last one would be untouched (its canary neighbour is not carved yet).
          if (!resident(page_of(got[i].hi - 1))) ++bad;
          if (!resident(page_of(got[i].canary))) ++bad;
          // Only the first page: a million parked goroutines must not cost their whole stacks.
          if (resident(page_of(got[i].hi - 1) - 4 * kPageSize)) ++bad;
        }
        std::_Exit(bad);
      },
      ::testing::ExitedWithCode(0), "");
}

// The preparer thread: after a few fresh batches carved by their callers, a background thread
// keeps a reserve of fresh slots, prepared as a batch is, refilled when it runs below half. In a
// process of its own, so that the pool starts empty. Waits are bounded (generously) by polling.
bool reserve_reaches(std::size_t at_least) {
  for (int i = 0; i < 60'000; ++i) {
    if (st::reserve_size() >= at_least) return true;
    usleep(1000);
  }
  return false;
}

TEST(StackBatchDeathTest, APreparerKeepsAReserveOnceStacksAreMadeInNumbers) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        std::set<std::uintptr_t> los;
        int bad = 0;
        const auto take = [&](std::size_t want) {
          std::vector<st::stack> got(want);
          const std::size_t n = st::allocate_default(got.data(), want);
          if (n != want) bad += 1000;
          for (std::size_t i = 0; i < n; ++i) {
            if (!los.insert(got[i].lo).second) bad += 100;  // handed out twice
            if (!st::canary_intact(got[i])) bad += 10;
            if (kernel_can_populate() && !resident(page_of(got[i].canary))) ++bad;
          }
        };
        if (st::reserve_size() != 0) bad += 10000;
        for (int batch = 0; batch < 4; ++batch) take(16);  // carved by the caller: starts it
        if (!reserve_reaches(64)) bad += 20000;
        take(16);
        if (st::reserve_size() != 48) bad += 30000;  // above half: no refill yet
        take(16);
        take(16);  // below half now: the preparer refills
        if (!reserve_reaches(64)) bad += 40000;
        std::_Exit(bad > 255 ? 255 : bad);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(StackPrefault, PopulatesExactlyTheListedPages) {
  if (!kernel_can_populate()) GTEST_SKIP() << "this kernel has no MADV_POPULATE_WRITE";
  constexpr std::size_t kPages = 200;  // more than one system call's batch
  void* region = mmap(nullptr, kPages * kPageSize, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  ASSERT_NE(region, MAP_FAILED);
  const auto base = reinterpret_cast<std::uintptr_t>(region);
  std::vector<std::uintptr_t> listed;
  for (std::size_t i = 0; i < kPages; i += 2) listed.push_back(base + i * kPageSize);
  st::populate_pages(listed.data(), listed.size());
  for (std::size_t i = 0; i < kPages; ++i)
    EXPECT_EQ(resident(base + i * kPageSize), i % 2 == 0) << "page " << i;
  // Populated as if written: private, zero-filled, writable.
  for (std::uintptr_t page : listed) EXPECT_EQ(*reinterpret_cast<const char*>(page), 0);
  munmap(region, kPages * kPageSize);
}

TEST(StackPrefault, AnEmptyListAndAnUnmappedPageAreHarmless) {
  st::populate_pages(nullptr, 0);
  void* region =
      mmap(nullptr, kPageSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(region, MAP_FAILED);
  ASSERT_EQ(munmap(region, kPageSize), 0);
  const auto gone = reinterpret_cast<std::uintptr_t>(region);
  st::populate_pages(&gone, 1);  // the kernel refuses (ENOMEM): nothing to populate, no crash
  // The refusal must not turn population off for the pages that can be populated.
  if (!kernel_can_populate()) return;
  void* fresh =
      mmap(nullptr, kPageSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(fresh, MAP_FAILED);
  const auto page = reinterpret_cast<std::uintptr_t>(fresh);
  st::populate_pages(&page, 1);
  EXPECT_TRUE(resident(page));
  munmap(fresh, kPageSize);
}

}  // namespace
