// Scale: many goroutines (more than there are clock slots), a hundred thousand under one Mutex with
// bounded detector memory, epochs running out, and global resets that must neither invent races nor
// stop finding new ones.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "base.hpp"
#include "detector.hpp"
#include "race_test.hpp"
#include "slots.hpp"

namespace {

using race_test::in_goroutines;
using race_test::latch;
using race_test::read;
using race_test::write;

class ScaleTest : public race_test::procs_test {};

long rss_kib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

TEST_P(ScaleTest, HundredThousandGoroutinesUnderAMutexDoNotRaceInBoundedMemory) {
  EXPECT_RACES(0, [] {
    constexpr int kGoroutines = 100'000;
    std::uint64_t counter = 0;
    goro::Mutex mu;
    goro::WaitGroup wg;
    const long rss_before = rss_kib();
    const std::size_t meta_before = goro::race::metadata_bytes_in_use();
    for (int i = 0; i < kGoroutines; ++i) {
      wg.add(1);
      goro::go([&] {
        mu.lock();
        read(&counter, 8);
        ++counter;
        write(&counter, 8);
        mu.unlock();
        wg.done();
      });
    }
    wg.wait();
    read(&counter, 8);
    EXPECT_EQ(counter, static_cast<std::uint64_t>(kGoroutines));
    const std::size_t meta = goro::race::metadata_bytes_in_use() - meta_before;
    const long rss = rss_kib() - rss_before;
    std::printf("detector metadata +%zu KiB, RSS +%ld KiB after %d goroutines\n", meta >> 10, rss,
                kGoroutines);
    // Finished goroutines keep a record (and a small history ring) for reports, up to a budget.
    EXPECT_LT(meta, std::size_t{96} << 20);
    EXPECT_LT(rss, 512L << 10);
  });
}

TEST_P(ScaleTest, MoreGoroutinesThanSlotsStillRace) {
  EXPECT_RACES(1, [] {
    constexpr int kParked = 1000;  // each holds a clock slot until it is taken from it
    auto release = goro::make_chan<int>();
    latch started(kParked), finished(kParked);
    std::vector<std::uint64_t> own(kParked);
    for (int i = 0; i < kParked; ++i) {
      goro::go([&, i] {
        write(&own[i], 8);
        started.count_down();
        release.recv();
        write(&own[i], 8);  // its own data: never a race, whichever slot it holds now
        finished.count_down();
      });
    }
    started.wait();
    int x = 0;
    in_goroutines(2, [&](int) { write(&x); });  // the one race
    release.close();
    finished.wait();
  });
}

TEST_P(ScaleTest, AGoroutineTakingAFinishedOnesSlotDoesNotHideItsRaces) {
  // The second goroutine starts after the first has ended and released its slot. Acquiring from the
  // second must not order the first's write before the read: were the freed slot reused at once,
  // the acquire would cover the first goroutine's epochs too.
  EXPECT_RACES(1, [] {
    std::uint64_t x = 0;
    goro::Mutex mu;
    latch wrote(1);
    goro::go([&] {
      write(&x, 8);
      wrote.count_down();
    });
    wrote.wait();
    for (int i = 0; i < 10; ++i) goro::yield();  // it ends and gives its slot back
    latch released(1);
    goro::go([&] {
      mu.lock();
      mu.unlock();
      released.count_down();
    });
    released.wait();
    mu.lock();
    read(&x, 8);
    mu.unlock();
  });
}

TEST_P(ScaleTest, ManySlotChangesDoNotInventRaces) {
  EXPECT_RACES(0, [] {
    // 600 goroutines pass a token around a ring of channels: each writes the shared word only
    // while it holds the token. Slots change hands constantly (600 > 256 holders).
    constexpr int kRing = 600;
    constexpr int kRounds = 5;
    std::uint64_t shared = 0;
    std::vector<goro::chan<int>> links;
    for (int i = 0; i < kRing; ++i) links.push_back(goro::make_chan<int>());
    goro::WaitGroup wg;
    for (int i = 0; i < kRing; ++i) {
      wg.add(1);
      goro::go([&, i] {
        for (int r = 0; r < kRounds; ++r) {
          links[i].recv();
          write(&shared, 8);
          if (i + 1 < kRing || r + 1 < kRounds) links[(i + 1) % kRing].send(0);
        }
        wg.done();
      });
    }
    links[0].send(0);
    wg.wait();
    write(&shared, 8);
  });
}

TEST_P(ScaleTest, EpochsRunningOutForceResetsWithoutFalseReports) {
  EXPECT_RACES(0, [] {
    // Every unlock is a release and spends an epoch of its slot: 256 slots x 16383 epochs are gone
    // after about 4.2 million, and a global reset follows.
    const std::uint32_t resets_before = goro::race::reset_count();
    constexpr int kGoroutines = 4;
    constexpr int kIterations = 1'200'000;
    std::uint64_t x = 0;
    goro::Mutex mu;
    in_goroutines(kGoroutines, [&](int) {
      for (int k = 0; k < kIterations; ++k) {
        mu.lock();
        write(&x, 8);
        mu.unlock();
      }
    });
    EXPECT_GE(goro::race::reset_count(), resets_before + 1);
  });
}

TEST_P(ScaleTest, RacesAreFoundAfterAReset) {
  EXPECT_RACES(1, [] {
    int x = 0;
    in_goroutines(1, [&](int) { write(&x); });
    goro::race::global_reset();
    // The history before the reset is forgotten: this write does not race with the one above
    // (a missed race, the price of a reset), but two new unordered writes do.
    int y = 0;
    in_goroutines(2, [&](int) { write(&y); });
  });
}

// A reset keeps the shadow, except one in four, which wipes it before the cells' two generation
// bits come round: the cells left by any of the last three generations are ignored, and none is
// taken for a current one. Each write below is ordered before the next by a channel, an edge the
// resets in between forget; the old cell must not turn that into a report.
TEST_P(ScaleTest, CellsOfOlderGenerationsAreNeverTakenForCurrentOnes) {
  EXPECT_RACES(0, [] {
    std::uint64_t x = 0;
    auto done = goro::make_chan<int>();
    const auto write_in_a_goroutine = [&] {
      goro::go([&] {
        write(&x, 8);
        done.send(1);
      });
      done.recv();
    };
    for (int resets = 1; resets <= 8; ++resets) {
      write_in_a_goroutine();
      for (int k = 0; k < resets; ++k) goro::race::global_reset();
      write_in_a_goroutine();
    }
  });
}

TEST_P(ScaleTest, EdgesHoldAcrossAReset) {
  EXPECT_RACES(0, [] {
    int x = 0;
    auto c = goro::make_chan<int>();
    goro::go([&] {
      write(&x);
      goro::race::global_reset();  // between the write and the send that orders it
      write(&x);
      c.send(1);
    });
    c.recv();
    write(&x);
    read(&x);
  });
}

GORO_RACE_INSTANTIATE_PROCS(ScaleTest);

}  // namespace
