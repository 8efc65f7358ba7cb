// Atomics through the race ABI: they never race with each other, they race with plain accesses, and
// their memory orders create exactly the edges C++ gives them.
#include <cstdint>

#include "race_test.hpp"

namespace {

using race_test::concurrently;
using race_test::in_goroutines;
using race_test::read;
using race_test::write;

class AtomicsTest : public race_test::procs_test {};

// Spins (yielding) until the atomic holds at least `want`, loading with order mo.
void await(std::uint32_t* flag, std::uint32_t want, int mo) {
  while (__goro_atomic32_load(flag, mo) < want) goro::yield();
}

TEST_P(AtomicsTest, AtomicsNeverRaceWithAtomics) {
  EXPECT_RACES(0, [] {
    std::uint64_t x = 0;
    concurrently(4, [&](int i) {
      for (int k = 0; k < 100; ++k) {
        __goro_atomic64_fetch_add(&x, 1, __ATOMIC_RELAXED);
        __goro_atomic64_store(&x, k, __ATOMIC_RELAXED);
        (void)__goro_atomic64_load(&x, __ATOMIC_RELAXED);
      }
      (void)i;
    });
  });
}

TEST_P(AtomicsTest, AtomicStoreRacesWithAPlainRead) {
  EXPECT_RACES(1, [] {
    std::uint32_t x = 0;
    in_goroutines(2, [&](int i) {
      if (i == 0) {
        __goro_atomic32_store(&x, 1, __ATOMIC_SEQ_CST);
      } else {
        read(&x);
      }
    });
  });
}

TEST_P(AtomicsTest, AtomicReadRacesWithAPlainWrite) {
  EXPECT_RACES(1, [] {
    std::uint16_t x = 0;
    in_goroutines(2, [&](int i) {
      if (i == 0) {
        (void)__goro_atomic16_load(&x, __ATOMIC_ACQUIRE);
      } else {
        write(&x, 2);
      }
    });
  });
}

// Message passing through a flag: the publisher writes the data, then sets the flag; the consumer
// waits for the flag, then writes the data. The detector must see the two writes ordered exactly
// when C++ orders them: a release (store, or fence before a relaxed store) read by an acquire
// (load, or fence after a relaxed load).
struct handoff {
  const char* name;
  bool release_fence;  // the publisher's fence before its store
  int store_order;
  int load_order;
  bool acquire_fence;  // the consumer's fence after its loads
  int races;
};

constexpr handoff kHandoffs[] = {
    {"release store, acquire load", false, __ATOMIC_RELEASE, __ATOMIC_ACQUIRE, false, 0},
    {"seq_cst store, seq_cst load", false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST, false, 0},
    {"relaxed store, acquire load", false, __ATOMIC_RELAXED, __ATOMIC_ACQUIRE, false, 1},
    {"release store, relaxed load", false, __ATOMIC_RELEASE, __ATOMIC_RELAXED, false, 1},
    {"release fence, relaxed store and load, acquire fence", true, __ATOMIC_RELAXED,
     __ATOMIC_RELAXED, true, 0},
    {"release fence, relaxed store and load, no acquire side", true, __ATOMIC_RELAXED,
     __ATOMIC_RELAXED, false, 1},
    {"release store, relaxed load, acquire fence", false, __ATOMIC_RELEASE, __ATOMIC_RELAXED, true,
     0},
    {"relaxed store, relaxed load, acquire fence", false, __ATOMIC_RELAXED, __ATOMIC_RELAXED, true,
     1},
};

TEST_P(AtomicsTest, HandoffThroughAFlagIsOrderedExactlyWhenCxxOrdersIt) {
  for (const handoff& h : kHandoffs) {
    SCOPED_TRACE(h.name);
    EXPECT_RACES(h.races, [h] {
      int data = 0;
      std::uint32_t flag = 0;
      in_goroutines(2, [&](int i) {
        if (i == 0) {
          write(&data);
          if (h.release_fence) __goro_atomic_thread_fence(__ATOMIC_RELEASE);
          __goro_atomic32_store(&flag, 1, h.store_order);
        } else {
          await(&flag, 1, h.load_order);
          if (h.acquire_fence) __goro_atomic_thread_fence(__ATOMIC_ACQUIRE);
          write(&data);
        }
      });
    });
  }
}

TEST_P(AtomicsTest, RelaxedRmwContinuesTheReleaseSequence) {
  EXPECT_RACES(0, [] {
    int data = 0;
    std::uint32_t flag = 0;
    in_goroutines(3, [&](int i) {
      if (i == 0) {
        write(&data);
        __goro_atomic32_store(&flag, 1, __ATOMIC_RELEASE);
      } else if (i == 1) {
        await(&flag, 1, __ATOMIC_RELAXED);
        __goro_atomic32_fetch_add(&flag, 1, __ATOMIC_RELAXED);
      } else {
        await(&flag, 2, __ATOMIC_ACQUIRE);
        read(&data);
      }
    });
  });
}

TEST_P(AtomicsTest, CompareExchangeAcquiresOnSuccess) {
  EXPECT_RACES(0, [] {
    int data = 0;
    std::uint32_t flag = 0;
    in_goroutines(2, [&](int i) {
      if (i == 0) {
        write(&data);
        __goro_atomic32_store(&flag, 1, __ATOMIC_RELEASE);
      } else {
        while (__goro_atomic32_compare_exchange_val(&flag, 1, 2, __ATOMIC_ACQ_REL,
                                                    __ATOMIC_RELAXED) != 1) {
          goro::yield();
        }
        write(&data);
      }
    });
  });
}

TEST_P(AtomicsTest, FetchAddAcqRelChainsCriticalSections) {
  EXPECT_RACES(0, [] {
    int data = 0;
    std::uint32_t ticket = 0;
    concurrently(4, [&](int i) {
      // A ticket lock: each goroutine waits for its turn, writes, passes the turn on.
      while (__goro_atomic32_load(&ticket, __ATOMIC_ACQUIRE) != static_cast<std::uint32_t>(i)) {
        goro::yield();
      }
      write(&data);
      __goro_atomic32_fetch_add(&ticket, 1, __ATOMIC_ACQ_REL);
    });
  });
}

TEST_P(AtomicsTest, OperationsReturnWhatTheHardwareDid) {
  EXPECT_RACES(0, [] {
    std::uint8_t b = 0xf0;
    EXPECT_EQ(__goro_atomic8_fetch_and(&b, 0x3c, __ATOMIC_SEQ_CST), 0xf0);
    EXPECT_EQ(b, 0x30);
    EXPECT_EQ(__goro_atomic8_fetch_or(&b, 0x01, __ATOMIC_RELAXED), 0x30);
    EXPECT_EQ(__goro_atomic8_fetch_xor(&b, 0xff, __ATOMIC_RELEASE), 0x31);
    EXPECT_EQ(__goro_atomic8_fetch_nand(&b, 0x0f, __ATOMIC_ACQUIRE), 0xce);
    EXPECT_EQ(b, static_cast<std::uint8_t>(~(0xce & 0x0f)));
    std::uint64_t w = 10;
    EXPECT_EQ(__goro_atomic64_fetch_sub(&w, 3, __ATOMIC_ACQ_REL), 10u);
    EXPECT_EQ(__goro_atomic64_exchange(&w, 42, __ATOMIC_SEQ_CST), 7u);
    EXPECT_EQ(__goro_atomic64_compare_exchange_val(&w, 41, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST),
              42u);
    EXPECT_EQ(w, 42u);
    alignas(16) unsigned __int128 q = 5;
    const unsigned __int128 big = (static_cast<unsigned __int128>(1) << 100) + 7;
    __goro_atomic128_store(&q, big, __ATOMIC_RELEASE);
    EXPECT_TRUE(__goro_atomic128_load(&q, __ATOMIC_ACQUIRE) == big);
    EXPECT_TRUE(__goro_atomic128_fetch_add(&q, 1, __ATOMIC_SEQ_CST) == big);
    EXPECT_TRUE(__goro_atomic128_compare_exchange_val(&q, big + 1, 9, __ATOMIC_SEQ_CST,
                                                      __ATOMIC_SEQ_CST) == big + 1);
    EXPECT_TRUE(q == 9);
  });
}

TEST_P(AtomicsTest, SixteenByteAtomicsRaceWithPlainAccesses) {
  EXPECT_RACES(1, [] {
    alignas(16) unsigned __int128 q = 0;
    in_goroutines(2, [&](int i) {
      if (i == 0) {
        __goro_atomic128_store(&q, 1, __ATOMIC_RELAXED);
      } else {
        write(reinterpret_cast<char*>(&q) + 8, 8);
      }
    });
  });
}

GORO_RACE_INSTANTIATE_PROCS(AtomicsTest);

}  // namespace
