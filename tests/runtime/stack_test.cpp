// Goroutine stacks (stack/stack.hpp) used directly, without goro::run: sizes, pooling, canaries,
// guard pages and the overflow-address test the fault handler relies on.
//
// White-box facts used here (see stack.hpp): a slab slot's canary sits just below its usable range,
// kCanaryBytes below the slot base, so a guarded slot has lo - canary == kPageSize + kCanaryBytes
// and an unguarded one lo - canary == kCanaryBytes. Dedicated stacks have canary == 0 and a guard
// page at [lo - kPageSize, lo).
//
// Tests named *NoSan* fault on purpose (SIGSEGV on a guard page): sanitizers intercept the signal,
// so they carry the "nosan" ctest label and are skipped in GORO_SANITIZE builds.
#include "stack/stack.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

namespace st = goro::stack;
using st::kCanaryBytes;
using st::kPageSize;

bool is_guarded_slot(const st::stack& s) {
  return s.canary != 0 && s.lo - s.canary == kPageSize + kCanaryBytes;
}
bool is_unguarded_slot(const st::stack& s) {
  return s.canary != 0 && s.lo - s.canary == kCanaryBytes;
}

// Writes every byte of [lo, hi): faults (failing the test) if any of it is not writable.
void write_all(std::uintptr_t lo, std::uintptr_t hi) {
  std::memset(reinterpret_cast<void*>(lo), 0x5a, hi - lo);
}

// Allocates slab stacks until one comes back without a guard page (the guard budget is spent).
// Keeps everything it allocated in `held` so the pool cannot hand the same slot out again.
st::stack first_unguarded_slot(std::vector<st::stack>& held) {
  const std::size_t limit = st::guard_page_budget() + 2 * 256 + 16;
  for (std::size_t i = 0; i < limit; ++i) {
    st::stack s = st::allocate(0);
    held.push_back(s);
    if (is_unguarded_slot(s)) return s;
  }
  return {};
}

TEST(Stack, DefaultSizeIs64KiBMinusTheCanary) {
  if (std::getenv("GORO_STACK_SIZE") != nullptr) GTEST_SKIP() << "GORO_STACK_SIZE is set";
  EXPECT_EQ(st::default_size(), 64u * 1024 - kCanaryBytes);
}

TEST(Stack, GuardBudgetIsAQuarterOfTheMapLimitInPairs) {
  long max_maps = 65530;
  if (FILE* f = std::fopen("/proc/sys/vm/max_map_count", "r")) {
    if (std::fscanf(f, "%ld", &max_maps) != 1) max_maps = 65530;
    std::fclose(f);
  }
  EXPECT_EQ(st::guard_page_budget(), static_cast<std::size_t>(max_maps / 8));
  EXPECT_GT(st::guard_page_budget(), 0u);
}

TEST(Stack, FreshDefaultStackIsAlignedWritableAndHasAnIntactCanary) {
  st::stack s = st::allocate(0);
  ASSERT_FALSE(s.empty());
  EXPECT_NE(s.canary, 0u) << "default stacks come from slabs";
  EXPECT_EQ(s.lo % kPageSize, 0u);
  EXPECT_EQ(s.hi % 16, 0u) << "the initial stack pointer must be 16-byte aligned";
  EXPECT_EQ(s.canary + kCanaryBytes, is_guarded_slot(s) ? s.lo - kPageSize : s.lo);
  EXPECT_TRUE(st::canary_intact(s));
  write_all(s.lo, s.hi);  // the whole usable range is writable
  EXPECT_TRUE(st::canary_intact(s)) << "writing the usable range must not touch the canary";
  st::release(s);
}

TEST(Stack, AllocateZeroAndDefaultSizeAreTheSameKind) {
  st::stack a = st::allocate(0);
  st::stack b = st::allocate(st::default_size());
  EXPECT_NE(a.canary, 0u);
  EXPECT_NE(b.canary, 0u) << "asking for default_size() bytes must give a slab slot too";
  EXPECT_NE(a.lo, b.lo);
  st::release(a);
  st::release(b);
}

// allocate() promises "at least `bytes` usable (0: the default size)".
TEST(Stack, DefaultStackHasAtLeastDefaultSizeUsable) {
  std::vector<st::stack> held;
  for (int i = 0; i < 4; ++i) {
    st::stack s = st::allocate(0);
    held.push_back(s);
    EXPECT_GE(s.size(), st::default_size())
        << (is_guarded_slot(s) ? "guarded" : "unguarded") << " slot: usable " << s.size()
        << " bytes, default_size() " << st::default_size();
    st::stack t = st::allocate(st::default_size());
    held.push_back(t);
    EXPECT_GE(t.size(), st::default_size())
        << "allocate(default_size()) gave " << t.size() << " usable bytes";
  }
  for (const auto& s : held) st::release(s);
}

TEST(Stack, ReleasedDefaultStackIsReused) {
  st::stack a = st::allocate(0);
  st::release(a);
  st::stack b = st::allocate(0);
  EXPECT_EQ(b.lo, a.lo);
  EXPECT_EQ(b.hi, a.hi);
  EXPECT_EQ(b.canary, a.canary);
  st::stack c = st::allocate(0);
  EXPECT_NE(c.lo, b.lo) << "a stack in use must not be handed out twice";
  st::release(b);
  st::release(c);
}

TEST(Stack, DistinctLiveStacksDoNotOverlap) {
  std::vector<st::stack> held;
  for (int i = 0; i < 600; ++i) held.push_back(st::allocate(0));  // spans more than two slabs
  std::vector<std::pair<std::uintptr_t, std::uintptr_t>> ranges;
  for (const auto& s : held) ranges.emplace_back(s.canary, s.hi);  // canary below, usable above
  std::sort(ranges.begin(), ranges.end());
  for (std::size_t i = 1; i < ranges.size(); ++i) {
    EXPECT_LE(ranges[i - 1].second, ranges[i].first) << "slot " << i;
  }
  for (const auto& s : held) EXPECT_TRUE(st::canary_intact(s));
  for (const auto& s : held) st::release(s);
}

TEST(Stack, CanaryDetectsAWriteIntoIt) {
  st::stack s = st::allocate(0);
  ASSERT_NE(s.canary, 0u);
  ASSERT_TRUE(st::canary_intact(s));
  // The canary is writable in every slot (it lies in the slot below, or in the slab header page).
  auto* p = reinterpret_cast<volatile unsigned char*>(s.canary + kCanaryBytes - 1);
  *p = static_cast<unsigned char>(*p ^ 0xff);
  EXPECT_FALSE(st::canary_intact(s));
  // Any single word counts.
  *p = static_cast<unsigned char>(*p ^ 0xff);
  EXPECT_TRUE(st::canary_intact(s));
  reinterpret_cast<volatile std::uint64_t*>(s.canary)[0] = 0;
  EXPECT_FALSE(st::canary_intact(s));
  // Left corrupted and not released: the pool must not hand it out again in this process.
}

TEST(Stack, DedicatedStacksHaveNoCanaryToCheck) {
  st::stack s = st::allocate(1 << 20);
  EXPECT_EQ(s.canary, 0u);
  EXPECT_TRUE(st::canary_intact(s));
  st::release(s);
}

TEST(Stack, UnguardedSlotOverflowIsCaughtByTheCanary) {
  std::vector<st::stack> held;
  st::stack s = first_unguarded_slot(held);
  ASSERT_FALSE(s.empty()) << "no unguarded slot after " << held.size() << " stacks (budget "
                          << st::guard_page_budget() << ")";
  // The guard budget bounds how many slots got a guard page: exactly the first guard_page_budget()
  // slots carved in this process, so at most that many of ours.
  std::size_t guarded = 0;
  for (const auto& h : held) guarded += is_guarded_slot(h) ? 1 : 0;
  EXPECT_LE(guarded, st::guard_page_budget());
  EXPECT_TRUE(st::canary_intact(s));
  EXPECT_GE(s.size(), st::default_size());  // an unguarded slot also uses its guard page
  // An overflow by one byte lands in the canary.
  *reinterpret_cast<volatile unsigned char*>(s.lo - 1) = 0;
  EXPECT_FALSE(st::canary_intact(s));
  EXPECT_TRUE(st::is_overflow_address(s, s.lo - 1));
  // The slots below are unharmed: each canary belongs to exactly one stack.
  for (const auto& h : held) {
    if (h.lo != s.lo) EXPECT_TRUE(st::canary_intact(h));
  }
  for (const auto& h : held) {
    if (h.lo != s.lo) st::release(h);
  }
}

TEST(Stack, OverflowAddressCoversGuardAndCanaryOnly) {
  st::stack s = st::allocate(0);
  ASSERT_NE(s.canary, 0u);
  EXPECT_TRUE(st::is_overflow_address(s, s.lo - 1));
  EXPECT_TRUE(st::is_overflow_address(s, s.canary));
  EXPECT_TRUE(st::is_overflow_address(s, s.canary + kCanaryBytes - 1));
  if (is_guarded_slot(s)) {
    EXPECT_TRUE(st::is_overflow_address(s, s.lo - kPageSize));
    EXPECT_TRUE(st::is_overflow_address(s, s.lo - kPageSize / 2));
  }
  EXPECT_FALSE(st::is_overflow_address(s, s.canary - 1));
  EXPECT_FALSE(st::is_overflow_address(s, s.lo));
  EXPECT_FALSE(st::is_overflow_address(s, s.hi - 1));
  EXPECT_FALSE(st::is_overflow_address(s, s.hi));
  EXPECT_FALSE(st::is_overflow_address(s, 0));
  st::release(s);

  st::stack d = st::allocate(1 << 20);
  EXPECT_TRUE(st::is_overflow_address(d, d.lo - 1));
  EXPECT_TRUE(st::is_overflow_address(d, d.lo - kPageSize));
  EXPECT_FALSE(st::is_overflow_address(d, d.lo - kPageSize - 1));
  EXPECT_FALSE(st::is_overflow_address(d, d.lo));
  EXPECT_FALSE(st::is_overflow_address(d, d.hi));
  st::release(d);
}

// A *DeathTest suite runs before every other suite, so when the whole binary runs in one process
// the pool is still untouched here and the forked child's first slots are the process's first.
TEST(StackDeathTest, FirstSlotsOfAFreshProcessHaveGuardPages) {
  EXPECT_EXIT(
      {
        int bad = 0;
        for (int i = 0; i < 300; ++i) {
          if (!is_guarded_slot(st::allocate(0))) ++bad;
        }
        std::_Exit(bad == 0 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(Stack, DedicatedSizesArePageRounded) {
  struct {
    std::size_t ask, want;
  } cases[] = {
      {1 << 20, 1 << 20},         {(1 << 20) + 1, (1 << 20) + kPageSize},
      {(1 << 20) - 100, 1 << 20}, {200000, 200704},
      {100000, 102400},           {8192, 8192},
  };
  for (const auto& c : cases) {
    st::stack s = st::allocate(c.ask);
    EXPECT_EQ(s.size(), c.want) << "ask " << c.ask;
    EXPECT_EQ(s.canary, 0u);
    EXPECT_EQ(s.lo % kPageSize, 0u);
    EXPECT_EQ(s.hi % kPageSize, 0u);
    write_all(s.lo, s.hi);
    st::release(s);
  }
}

// go_with_stack's "at least bytes": any goroutine request the default size meets is a default
// slot, not a small mapping. (allocate itself keeps small mappings, with their guard pages, for the
// runtime's other stacks: DedicatedSizesArePageRounded.)
TEST(Stack, GoroutineRequestsTheDefaultMeetsGetDefaultSlots) {
  for (std::size_t ask :
       {std::size_t{1}, std::size_t{4096}, std::size_t{8192}, st::default_size()}) {
    st::stack s = st::allocate_goroutine(ask);
    EXPECT_EQ(s.size(), st::default_size()) << "ask " << ask;
    EXPECT_NE(s.canary, 0u) << "ask " << ask;
    st::release(s);
  }
}

TEST(Stack, DedicatedStacksArePooledBySize) {
  st::stack a = st::allocate(1 << 20);
  st::release(a);
  st::stack other = st::allocate(2 << 20);
  EXPECT_NE(other.lo, a.lo) << "a 1 MiB stack must not serve a 2 MiB request";
  EXPECT_EQ(other.size(), std::size_t{2} << 20);
  st::stack small = st::allocate(0);
  EXPECT_NE(small.lo, a.lo) << "a dedicated stack must not serve a default request";
  st::stack b = st::allocate((1 << 20) - 100);  // rounds to the same size: reuses it
  EXPECT_EQ(b.lo, a.lo);
  EXPECT_EQ(b.hi, a.hi);
  st::stack c = st::allocate(1 << 20);
  EXPECT_NE(c.lo, a.lo);
  st::release(b);
  st::release(c);
  st::release(other);
  st::release(small);
}

#if defined(GORO_SANITIZE) || defined(GORO_SANITIZE_THREAD)
#define GORO_SKIP_UNDER_SANITIZERS() GTEST_SKIP() << "sanitizers intercept SIGSEGV"
#else
#define GORO_SKIP_UNDER_SANITIZERS() (void)0
#endif

TEST(StackDeathTest, GuardPageOfAFreshDefaultStackFaultsNoSan) {
  GORO_SKIP_UNDER_SANITIZERS();
  EXPECT_EXIT(
      {
        st::stack s = st::allocate(0);
        if (!is_guarded_slot(s)) std::_Exit(3);
        *reinterpret_cast<volatile char*>(s.lo - 1) = 1;
        std::_Exit(4);
      },
      ::testing::KilledBySignal(SIGSEGV), "");
}

TEST(StackDeathTest, GuardPageBottomOfAFreshDefaultStackFaultsNoSan) {
  GORO_SKIP_UNDER_SANITIZERS();
  EXPECT_EXIT(
      {
        st::stack s = st::allocate(0);
        if (!is_guarded_slot(s)) std::_Exit(3);
        *reinterpret_cast<volatile char*>(s.lo - kPageSize) = 1;
        std::_Exit(4);
      },
      ::testing::KilledBySignal(SIGSEGV), "");
}

TEST(StackDeathTest, GuardPageOfADedicatedStackFaultsNoSan) {
  GORO_SKIP_UNDER_SANITIZERS();
  EXPECT_EXIT(
      {
        st::stack s = st::allocate(1 << 20);
        *reinterpret_cast<volatile char*>(s.lo - 1) = 1;
        std::_Exit(4);
      },
      ::testing::KilledBySignal(SIGSEGV), "");
}

TEST(StackDeathTest, GuardPageOfAReusedDedicatedStackStillFaultsNoSan) {
  GORO_SKIP_UNDER_SANITIZERS();
  EXPECT_EXIT(
      {
        st::stack a = st::allocate(1 << 20);
        st::release(a);
        st::stack s = st::allocate(1 << 20);
        if (s.lo != a.lo) std::_Exit(3);
        *reinterpret_cast<volatile char*>(s.lo - 1) = 1;
        std::_Exit(4);
      },
      ::testing::KilledBySignal(SIGSEGV), "");
}

}  // namespace
