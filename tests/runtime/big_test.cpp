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

// Two waves of a million parked goroutines. The first must stay under the kernel's map limit and
// all finish; the second comes after the first is gone and reuses its dead Gs and their stacks, so
// it maps (almost) nothing new. One test, not two: each wave costs some 10 s of the suite.
TEST(BigTest, MillionParkedGoroutinesFinishAndTheNextMillionReusesThem) {
  goro_test::run_in_goro(
      [] {
        const long maps_before = count_maps();
        long maps_after_first = 0;
        for (int wave = 0; wave < 2; ++wave) {
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
          EXPECT_EQ(goro::num_goroutine(), kGoroutines + 1) << "wave " << wave;
          const long maps = count_maps();
          if (wave == 0) {
            maps_after_first = maps;
            std::printf(
                "maps: %ld before, %ld with %d goroutines parked (max_map_count %ld, guard budget "
                "%zu)\n",
                maps_before, maps, kGoroutines, read_max_map_count(),
                goro::stack::guard_page_budget());
            EXPECT_LT(maps, 65530) << "a fresh Linux machine's vm.max_map_count would be exceeded";
            EXPECT_LT(maps, read_max_map_count());
          } else {
            // Some slack: a few Ms, system stacks or malloc arenas may still appear.
            EXPECT_LE(maps, maps_after_first + 64) << "the second wave mapped new stacks";
          }
          release.count_down();
          finished.wait();
          EXPECT_EQ(ran.load(), kGoroutines) << "wave " << wave;
          // The last goroutines may still be on their way out after counting down: bounded wait.
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
