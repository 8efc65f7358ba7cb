// The default heap of plain goro programs (runtime/heap/scalable_heap.cpp), linked into this test
// as `goro c++` links it: malloc's whole family served by tbbmalloc, glibc's contracts kept at the
// edges (overflow, alignment, null), large blocks advised into huge pages.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <malloc.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

bool aligned_to(const void* p, std::size_t a) {
  return reinterpret_cast<std::uintptr_t>(p) % a == 0;
}

// The flags line of the /proc/self/smaps entry holding addr ("VmFlags: rd wr mr ... hg").
std::string vm_flags_of(const void* addr) {
  const auto at = reinterpret_cast<unsigned long>(addr);
  FILE* f = std::fopen("/proc/self/smaps", "r");
  char line[512];
  bool in = false;
  std::string flags;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    unsigned long lo = 0, hi = 0;
    if (std::sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
      in = lo <= at && at < hi;
    } else if (in && std::strncmp(line, "VmFlags:", 8) == 0) {
      flags = line + 8;
      break;
    }
  }
  std::fclose(f);
  return flags;
}

TEST(Heap, MallocIsTheScalableAllocators) {
  EXPECT_NE(dlsym(RTLD_DEFAULT, "scalable_malloc"), nullptr);
  void* p = std::malloc(100);
  ASSERT_NE(p, nullptr);
  EXPECT_GE(malloc_usable_size(p), 100u);
  std::free(p);
}

TEST(Heap, NullAndZeroFollowGlibc) {
  std::free(nullptr);
  EXPECT_EQ(malloc_usable_size(nullptr), 0u);
  void* p = std::realloc(nullptr, 32);  // realloc(nullptr, n) is malloc(n)
  ASSERT_NE(p, nullptr);
  std::memset(p, 1, 32);
  std::free(p);
  void* z = std::malloc(0);  // a unique pointer that free accepts (or null)
  std::free(z);
}

TEST(Heap, CallocZeroesAndRefusesAnOverflowingSize) {
  auto* p = static_cast<unsigned char*>(std::calloc(1000, 7));
  ASSERT_NE(p, nullptr);
  for (int i = 0; i < 7000; ++i) ASSERT_EQ(p[i], 0) << i;
  std::free(p);
  errno = 0;
  EXPECT_EQ(std::calloc(SIZE_MAX / 2, 3), nullptr);
  EXPECT_EQ(errno, ENOMEM);
}

TEST(Heap, AlignedFamilyHonoursItsAlignment) {
  for (std::size_t a : {16u, 64u, 4096u, 1u << 16}) {
    void* p = aligned_alloc(a, 3 * a);
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(aligned_to(p, a)) << a;
    std::free(p);
    void* q = nullptr;
    ASSERT_EQ(posix_memalign(&q, a, 100), 0);
    EXPECT_TRUE(aligned_to(q, a)) << a;
    std::free(q);
  }
  void* m = memalign(48, 100);  // not a power of two: rounded up to 64, as glibc does
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(aligned_to(m, 64));
  std::free(m);
  void* v = valloc(10);
  EXPECT_TRUE(aligned_to(v, 4096));
  std::free(v);
  void* pv = pvalloc(0);
  ASSERT_NE(pv, nullptr);
  EXPECT_TRUE(aligned_to(pv, 4096));
  std::free(pv);
}

TEST(Heap, PosixMemalignRejectsABadAlignment) {
  void* p = reinterpret_cast<void*>(1);
  EXPECT_EQ(posix_memalign(&p, 24, 100), EINVAL);
  EXPECT_EQ(posix_memalign(&p, 2, 100), EINVAL);  // below sizeof(void*)
  EXPECT_EQ(p, reinterpret_cast<void*>(1)) << "a refused call leaves *out alone";
}

TEST(Heap, ReallocKeepsTheContents) {
  auto* p = static_cast<unsigned char*>(std::malloc(10));
  for (unsigned char i = 0; i < 10; ++i) p[i] = i;
  p = static_cast<unsigned char*>(std::realloc(p, 1u << 20));
  ASSERT_NE(p, nullptr);
  for (unsigned char i = 0; i < 10; ++i) EXPECT_EQ(p[i], i);
  p = static_cast<unsigned char*>(std::realloc(p, 5));
  for (unsigned char i = 0; i < 5; ++i) EXPECT_EQ(p[i], i);
  std::free(p);
}

TEST(Heap, BlocksFreedOnAnotherThread) {
  std::vector<std::string*> made;
  std::thread([&] {
    for (int i = 0; i < 10000; ++i) made.push_back(new std::string(50 + i % 200, 'x'));
  }).join();
  std::thread([&] {
    for (std::string* s : made) delete s;
  }).join();
  SUCCEED();
}

TEST(Heap, LargeBlocksAreAdvisedIntoHugePagesSmallOnesAreNot) {
  if (access("/sys/kernel/mm/transparent_hugepage", F_OK) != 0)
    GTEST_SKIP() << "this kernel has no transparent huge pages";
  char* big = static_cast<char*>(std::malloc(16u << 20));
  ASSERT_NE(big, nullptr);
  // The 2 MiB-aligned middle of the block carries the advice (smaps' "hg" flag).
  EXPECT_NE(vm_flags_of(big + (8u << 20)).find(" hg"), std::string::npos)
      << vm_flags_of(big + (8u << 20));
  char* small = static_cast<char*>(std::malloc(1u << 20));  // below the 4 MiB threshold
  ASSERT_NE(small, nullptr);
  EXPECT_EQ(vm_flags_of(small + (512u << 10)).find(" hg"), std::string::npos);
  std::free(small);
  std::free(big);
}

}  // namespace
