// A million goroutines alive at once in the race build (ctest label "big"): each has touched its
// own memory through the race ABI and holds detector state while parked; none may race, and the
// detector's metadata must stay within a small constant per goroutine.
#include <cstdint>
#include <cstdio>
#include <vector>

#include "base.hpp"
#include "detector.hpp"
#include "race_test.hpp"

namespace {

using race_test::read;
using race_test::write;

TEST(BigTest, MillionParkedGoroutinesWithDetectorState) {
  EXPECT_EXIT(race_test::run_expecting(
                  0,
                  [] {
                    constexpr int kGoroutines = 1'000'000;
                    std::vector<std::uint64_t> own(kGoroutines);
                    const std::size_t meta_before = goro::race::metadata_bytes_in_use();
                    auto gate = goro::make_chan<int>();
                    goro::WaitGroup started, finished;
                    for (int i = 0; i < kGoroutines; ++i) {
                      started.add(1);
                      finished.add(1);
                      goro::go([&, i] {
                        write(&own[i], 8);
                        started.done();
                        gate.recv();  // parked until the close
                        read(&own[i], 8);
                        finished.done();
                      });
                    }
                    started.wait();
                    const std::size_t parked = goro::race::metadata_bytes_in_use() - meta_before;
                    std::printf(
                        "detector metadata with %d goroutines parked: %zu MiB (%zu B each)\n",
                        kGoroutines, parked >> 20, parked / kGoroutines);
                    EXPECT_LT(parked / kGoroutines, 1024u);
                    gate.close();
                    finished.wait();
                    for (auto& v : own) write(&v, 8);
                  },
                  2),
              ::testing::ExitedWithCode(0), "");
}

}  // namespace
