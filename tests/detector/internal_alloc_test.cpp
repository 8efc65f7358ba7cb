// The detector's metadata allocator (detector/src/internal_alloc.cpp) with its per-thread lists:
// the in-use count stays exact when blocks are allocated on one thread and freed on another; a
// thread whose list overflows gives the surplus to the shared list, where another thread finds it;
// a thread's list goes back when the thread ends; blocks come back zeroed from internal_calloc and
// keep their contents while in use; a large block asked for populated comes resident. Blocks of
// 3000 bytes (the 4 KiB class, which the detector's own bookkeeping of these test threads does not
// use) make which block goes where observable.
#include <gtest/gtest.h>
#include <sys/mman.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <functional>
#include <set>
#include <thread>
#include <vector>

#include "base.hpp"
#include "goro/race_abi.h"

namespace goro::race {
namespace {

constexpr std::size_t kBytes = 3000;

std::vector<void*> allocate(int n) {
  std::vector<void*> blocks(static_cast<std::size_t>(n));
  for (void*& p : blocks) p = internal_alloc(kBytes);
  return blocks;
}

void free_all(const std::vector<void*>& blocks) {
  for (void* p : blocks) internal_free(p, kBytes);
}

int in_common(const std::vector<void*>& a, const std::vector<void*>& b) {
  const std::set<void*> seen(a.begin(), a.end());
  int n = 0;
  for (void* p : b) n += static_cast<int>(seen.count(p));
  return n;
}

// Makes the calling thread a context of the detector, as the program's threads are (a thread's
// lists go back when its context ends).
void touch_detector() {
  std::uint64_t local = 0;
  __goro_write8(&local);
}

// A thread that runs one step when told to and ends when the test does: nothing but the steps
// changes the allocator in between (a thread's start and end make and free metadata of their own).
class stepper {
 public:
  explicit stepper(std::function<void()> step)
      : step_(std::move(step)), thread_([this] {
          started_.store(1, std::memory_order_release);
          while (go_.load(std::memory_order_acquire) == 0) std::this_thread::yield();
          step_();
          done_.store(1, std::memory_order_release);
          // Stays until the test is over: an ending thread gives its own metadata back meanwhile.
          while (quit_.load(std::memory_order_acquire) == 0) std::this_thread::yield();
        }) {
    while (started_.load(std::memory_order_acquire) == 0) std::this_thread::yield();
  }
  ~stepper() {
    quit_.store(1, std::memory_order_release);
    thread_.join();
  }
  void run() {
    go_.store(1, std::memory_order_release);
    while (done_.load(std::memory_order_acquire) == 0) std::this_thread::yield();
  }

 private:
  std::function<void()> step_;
  std::atomic<int> started_{0}, go_{0}, done_{0}, quit_{0};
  std::thread thread_;
};

TEST(InternalAlloc, BytesInUseStayExactWhenAnotherThreadFrees) {
  void* blocks[100];  // not a vector: its malloc would be the detector's business too
  stepper allocator([&] {
    for (void*& p : blocks) p = internal_alloc(kBytes);
  });
  stepper freer([&] {
    for (void* p : blocks) internal_free(p, kBytes);
  });
  const std::size_t before = internal_bytes_in_use();
  allocator.run();
  EXPECT_EQ(internal_bytes_in_use(), before + 100 * kBytes);
  freer.run();
  EXPECT_EQ(internal_bytes_in_use(), before);
}

TEST(InternalAlloc, AThreadsSurplusGoesToTheSharedListForOthers) {
  std::vector<void*> freed, taken;
  stepper taker([&] {
    taken = allocate(100);
    free_all(taken);
  });
  std::thread([&] {
    freed = allocate(100);
    free_all(freed);  // keeps at most 32 in its own list
  }).join();
  taker.run();
  EXPECT_GE(in_common(freed, taken), 100 - 32);
}

TEST(InternalAlloc, AnEndingThreadGivesItsListBack) {
  std::vector<void*> freed, taken;
  stepper taker([&] {
    taken = allocate(20);
    free_all(taken);
  });
  std::thread([&] {
    touch_detector();
    freed = allocate(20);
    free_all(freed);  // all 20 stay in its list until it ends
  }).join();
  taker.run();
  EXPECT_EQ(in_common(freed, taken), 20);
}

TEST(InternalAlloc, BlocksKeepTheirContentsAndCallocZeroes) {
  std::vector<void*> blocks = allocate(40);
  for (std::size_t i = 0; i < blocks.size(); ++i) std::memset(blocks[i], int(i + 1), kBytes);
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const auto* bytes = static_cast<const unsigned char*>(blocks[i]);
    EXPECT_EQ(bytes[0], i + 1);
    EXPECT_EQ(bytes[kBytes - 1], i + 1);
  }
  free_all(blocks);
  void* p = internal_calloc(kBytes);  // the block just freed, dirty
  const auto* bytes = static_cast<const unsigned char*>(p);
  for (std::size_t i = 0; i < kBytes; ++i) ASSERT_EQ(bytes[i], 0) << "byte " << i;
  internal_free(p, kBytes);
}

// Pages of [p, p+bytes) that are resident.
std::size_t resident_pages(const void* p, std::size_t bytes) {
  std::vector<unsigned char> in_core(bytes / 4096);
  EXPECT_EQ(mincore(const_cast<void*>(p), bytes, in_core.data()), 0);
  std::size_t n = 0;
  for (unsigned char c : in_core) n += c & 1;
  return n;
}

// A block past the size classes (a history ring grown beyond 64 KiB) that its caller is about to
// fill comes resident, where an ordinary one is left to fault in page by page.
TEST(InternalAlloc, APopulatedLargeBlockIsResidentBeforeItIsWritten) {
  constexpr std::size_t kLarge = 256 << 10;
  void* plain = internal_alloc(kLarge);
  void* populated = internal_alloc_populated(kLarge);
  EXPECT_EQ(resident_pages(plain, kLarge), 0u);
  EXPECT_EQ(resident_pages(populated, kLarge), kLarge / 4096);
  internal_free(plain, kLarge);
  internal_free(populated, kLarge);
}

}  // namespace
}  // namespace goro::race
