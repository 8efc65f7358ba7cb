// Plain accesses through the race ABI: what races and what does not, byte granularity, unaligned
// accesses, ranges and memory intrinsics, and one report per racing pair of locations.
#include <cstdint>

#include "race_test.hpp"

namespace {

using race_test::concurrently;
using race_test::in_goroutines;
using race_test::read;
using race_test::write;

class AccessTest : public race_test::procs_test {};

TEST_P(AccessTest, UnsyncedWritesRace) {
  EXPECT_RACES(1, [] {
    int x = 0;
    in_goroutines(2, [&](int) { write(&x); });
  });
}

TEST_P(AccessTest, UnsyncedReadAndWriteRace) {
  EXPECT_RACES(1, [] {
    int x = 0;
    in_goroutines(2, [&](int i) {
      if (i == 0) {
        write(&x);
      } else {
        read(&x);
      }
    });
  });
}

TEST_P(AccessTest, ConcurrentReadsDoNotRace) {
  EXPECT_RACES(0, [] {
    long x = 0;
    write(&x, 8);  // before the go statements: happens before both readers
    concurrently(8, [&](int) { read(&x, 8); });
  });
}

TEST_P(AccessTest, SameGoroutineNeverRacesWithItself) {
  EXPECT_RACES(0, [] {
    int x = 0;
    in_goroutines(1, [&](int) {
      for (int k = 0; k < 1000; ++k) {
        write(&x);
        read(&x);
        goro::yield();
      }
    });
  });
}

TEST_P(AccessTest, GoStatementOrdersParentBeforeChild) {
  EXPECT_RACES(0, [] {
    int x = 0;
    write(&x);
    in_goroutines(1, [&](int) { write(&x); });
  });
}

TEST_P(AccessTest, ParentAfterGoStatementRacesWithChild) {
  EXPECT_RACES(1, [] {
    int x = 0;
    race_test::latch wrote(1);
    goro::go([&] {
      write(&x);
      wrote.count_down();
    });
    wrote.wait();  // no edge: only keeps the two writes apart in time (see in_goroutines)
    write(&x);
  });
}

TEST_P(AccessTest, DifferentBytesOfAWordDoNotRace) {
  EXPECT_RACES(0, [] {
    alignas(8) unsigned char a[8] = {};
    concurrently(8, [&](int i) { write(&a[i], 1); });
  });
}

TEST_P(AccessTest, AdjacentHalfWordsDoNotRace) {
  EXPECT_RACES(0, [] {
    alignas(8) std::uint32_t a[2] = {};
    concurrently(2, [&](int i) { write(&a[i], 4); });
  });
}

TEST_P(AccessTest, OverlappingAccessesOfDifferentSizesRace) {
  EXPECT_RACES(1, [] {
    alignas(8) unsigned char a[8] = {};
    in_goroutines(2, [&](int i) {
      if (i == 0) {
        write(&a[0], 8);
      } else {
        read(&a[5], 1);
      }
    });
  });
}

TEST_P(AccessTest, UnalignedAccessAcrossWordsRacesWithTheSecondWord) {
  EXPECT_RACES(1, [] {
    alignas(8) unsigned char a[16] = {};
    in_goroutines(2, [&](int i) {
      if (i == 0) {
        write(&a[6], 4);  // bytes 6..9: two words
      } else {
        write(&a[9], 1);
      }
    });
  });
}

TEST_P(AccessTest, UnalignedAccessDoesNotRaceWithNeighbours) {
  EXPECT_RACES(0, [] {
    alignas(8) unsigned char a[16] = {};
    concurrently(3, [&](int i) {
      if (i == 0) write(&a[6], 4);  // 6..9
      if (i == 1) write(&a[5], 1);
      if (i == 2) write(&a[10], 2);
    });
  });
}

TEST_P(AccessTest, RangeWriteRacesWithAByteInside) {
  EXPECT_RACES(1, [] {
    char buf[100] = {};
    in_goroutines(2, [&](int i) {
      if (i == 0) {
        __goro_write_range(buf + 3, 90);
      } else {
        read(buf + 57, 1);
      }
    });
  });
}

TEST_P(AccessTest, RangeDoesNotRaceOutsideItsBytes) {
  EXPECT_RACES(0, [] {
    char buf[100] = {};
    concurrently(3, [&](int i) {
      if (i == 0) __goro_write_range(buf + 3, 90);
      if (i == 1) write(buf + 2, 1);
      if (i == 2) write(buf + 93, 1);
    });
  });
}

TEST_P(AccessTest, MemcpyReadsItsSourceAndWritesItsDestination) {
  EXPECT_RACES(1, [] {
    char src[64] = {}, dst[64] = {};
    in_goroutines(3, [&](int i) {
      if (i == 0) __goro_memcpy(dst, src, sizeof src);
      if (i == 1) read(src + 8, 8);   // read vs read: fine
      if (i == 2) read(dst + 40, 8);  // read vs the copy's write: the race
    });
  });
}

TEST_P(AccessTest, MemsetIsChecked) {
  EXPECT_RACES(1, [] {
    char a[32] = {};
    in_goroutines(2, [&](int i) {
      if (i == 0) {
        __goro_memset(a, 1, sizeof a);
      } else {
        write(a + 31, 1);
      }
    });
  });
}

TEST_P(AccessTest, MemmoveIsChecked) {
  EXPECT_RACES(1, [] {
    char b[32] = {};
    in_goroutines(2, [&](int i) {
      if (i == 0) {
        __goro_memmove(b, b + 8, 16);  // reads 8..23, writes 0..15
      } else {
        write(b + 20, 1);
      }
    });
  });
}

TEST_P(AccessTest, EachPairOfLocationsIsReportedOnce) {
  EXPECT_RACES(1, [] {
    int x[64] = {};
    in_goroutines(2, [&](int) {
      for (int& v : x) write(&v);
    });
  });
}

TEST_P(AccessTest, SixteenByteAccessesAreChecked) {
  EXPECT_RACES(1, [] {
    alignas(16) unsigned char a[16] = {};
    in_goroutines(2, [&](int i) {
      if (i == 0) {
        write(a, 16);
      } else {
        read(a + 12, 4);
      }
    });
  });
}

GORO_RACE_INSTANTIATE_PROCS(AccessTest);

}  // namespace
