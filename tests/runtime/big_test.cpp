// A million simultaneously parked goroutines (ctest label "big": skipped under sanitizers, where
// the shadow memory of a million stacks does not fit). GOMAXPROCS 2 only: this is about memory and
// the map budget, not about scheduling interleavings.
#include <atomic>
#include <cstdio>
#include <fstream>
#include <string>

#include "sched/sched.hpp"
#include "stack/stack.hpp"
#include "support/goro_test.hpp"
#include "support/latch.hpp"

namespace {

using goro_test::latch;

constexpr int kGoroutines = 1'000'000;

long read_max_map_count() {
  long max_maps = 65530;
  if (FILE* f = std::fopen("/proc/sys/vm/max_map_count", "r")) {
    if (std::fscanf(f, "%ld", &max_maps) != 1) max_maps = 65530;
    std::fclose(f);
  }
  return max_maps;
}

long count_maps() {
  std::ifstream maps("/proc/self/maps");
  long n = 0;
  for (std::string line; std::getline(maps, line);) ++n;
  return n;
}

TEST(BigTest, MillionParkedGoroutinesAllFinish) {
  goro_test::run_in_goro(
      [] {
        const long maps_before = count_maps();
        latch started(kGoroutines), release(1), finished(kGoroutines);
        std::atomic<int> ran{0};
        for (int i = 0; i < kGoroutines; ++i) {
          goro::go([&] {
            started.count_down();
            release.wait();
            ran.fetch_add(1, std::memory_order_relaxed);
            finished.count_down();
          });
        }
        started.wait();
        // Every goroutine has started and is parked (or about to park) on `release`.
        EXPECT_EQ(goro::num_goroutine(), kGoroutines + 1);
        const long maps_parked = count_maps();
        std::printf(
            "maps: %ld before, %ld with %d goroutines parked (max_map_count %ld, guard budget "
            "%zu)\n",
            maps_before, maps_parked, kGoroutines, read_max_map_count(),
            goro::stack::guard_page_budget());
        EXPECT_LT(maps_parked, 65530)
            << "a fresh Linux machine's vm.max_map_count would be exceeded";
        EXPECT_LT(maps_parked, read_max_map_count());

        release.count_down();
        finished.wait();
        EXPECT_EQ(ran.load(), kGoroutines);
        // The last goroutines may still be on their way out after counting down: bounded wait.
        for (int i = 0; i < 10'000'000 && goro::num_goroutine() != 1; ++i) goro::yield();
        EXPECT_EQ(goro::num_goroutine(), 1);
      },
      2);
}

// The same million again after the first wave is gone: dead Gs and their stacks are reused, so the
// second wave maps (almost) nothing new.
TEST(BigTest, SecondMillionReusesGoroutinesAndStacks) {
  goro_test::run_in_goro(
      [] {
        long maps_after_first = 0;
        for (int wave = 0; wave < 2; ++wave) {
          latch started(kGoroutines), release(1), finished(kGoroutines);
          for (int i = 0; i < kGoroutines; ++i) {
            goro::go([&] {
              started.count_down();
              release.wait();
              finished.count_down();
            });
          }
          started.wait();
          const long maps = count_maps();
          if (wave == 0) {
            maps_after_first = maps;
          } else {
            // Some slack: a few Ms, system stacks or malloc arenas may still appear.
            EXPECT_LE(maps, maps_after_first + 64) << "the second wave mapped new stacks";
          }
          release.count_down();
          finished.wait();
          for (int i = 0; i < 10'000'000 && goro::num_goroutine() != 1; ++i) goro::yield();
          ASSERT_EQ(goro::num_goroutine(), 1) << "wave " << wave;
        }
        std::int64_t total_gs = 0;
        {
          auto& s = goro::sched::sched();
          goro::sched::runtime_lock_guard l(goro::sched::all_gs_lock);
          total_gs = static_cast<std::int64_t>(s.all_gs.size());
        }
        // Two waves of a million, but Gs are reused: far fewer than two million were ever made.
        EXPECT_LT(total_gs, kGoroutines + kGoroutines / 10);
      },
      2);
}

}  // namespace
