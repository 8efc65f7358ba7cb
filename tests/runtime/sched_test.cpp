// Scheduler behaviour: spawning, yielding, park/ready wake-ups, GOMAXPROCS, goroutine ids,
// migration.
#include "sched/sched.hpp"

#include <sys/mman.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#if defined(GORO_SANITIZE)
#include <sanitizer/asan_interface.h>
#endif

#include "sched/g_chunks.hpp"
#include "stack/stack.hpp"
#include "support/goro_test.hpp"
#include "support/latch.hpp"

namespace {

using goro_test::latch;

class SchedTest : public goro_test::procs_test {};

TEST_P(SchedTest, EverySpawnedGoroutineRuns) {
  run_in_goro([] {
    constexpr int kN = 10000;
    std::atomic<int> ran{0};
    latch done(kN);
    for (int i = 0; i < kN; ++i) {
      goro::go([&] {
        ran.fetch_add(1);
        done.count_down();
      });
    }
    done.wait();
    EXPECT_EQ(ran.load(), kN);
  });
}

TEST_P(SchedTest, ArgumentsAreCopiedAtTheGoStatement) {
  run_in_goro([] {
    latch done(1);
    int seen = 0;
    int value = 7;
    goro::go(
        [&](int v) {
          seen = v;
          done.count_down();
        },
        value);
    value = 8;
    done.wait();
    EXPECT_EQ(seen, 7);
  });
}

TEST_P(SchedTest, LargeClosuresAndArgumentsArriveIntact) {
  run_in_goro([] {
    // Bigger than the inline closure storage: it lives on the heap and is freed by the runtime.
    std::array<std::int64_t, 64> big{};
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::int64_t>(i * i);
    std::string text(1000, 'x');
    latch done(1);
    std::int64_t sum = 0;
    std::size_t length = 0;
    goro::go(
        // By value on purpose: the arguments are copied into the goroutine's closure.
        [&sum, &length, &done](std::array<std::int64_t, 64> values,
                               std::string s) {  // NOLINT(performance-unnecessary-value-param)
          for (auto v : values) sum += v;
          length = s.size();
          done.count_down();
        },
        big, text);
    done.wait();
    EXPECT_EQ(sum, 85344);
    EXPECT_EQ(length, 1000u);
  });
}

struct throws_on_copy {
  throws_on_copy() = default;
  throws_on_copy(const throws_on_copy&) { throw std::runtime_error("copy failed"); }
};

TEST_P(SchedTest, ClosureThatThrowsWhileBeingBuiltSpawnsNothing) {
  run_in_goro([] {
    throws_on_copy arg;
    int before = goro::num_goroutine();
    // By value on purpose: copying the argument is what throws.
    EXPECT_THROW(
        goro::go([](throws_on_copy) {}, arg),  // NOLINT(performance-unnecessary-value-param)
        std::runtime_error);
    EXPECT_EQ(goro::num_goroutine(), before);
    latch done(1);
    goro::go([&] { done.count_down(); });  // the returned reservation is reusable
    done.wait();
  });
}

TEST_P(SchedTest, MainIsGoroutineOneAndIdsIncrease) {
  run_in_goro([] {
    EXPECT_EQ(goro::sched::current_g()->goid, 1);
    latch done(2);
    std::int64_t a = 0, b = 0;
    goro::go([&] {
      a = goro::sched::current_g()->goid;
      done.count_down();
    });
    goro::go([&] {
      b = goro::sched::current_g()->goid;
      done.count_down();
    });
    done.wait();
    EXPECT_GT(a, 1);
    EXPECT_GT(b, a);
  });
}

TEST_P(SchedTest, YieldLetsOthersRunOnOneP) {
  run_in_goro([] {
    std::atomic<bool> other_ran{false};
    goro::go([&] { other_ran = true; });
    for (int i = 0; i < 1000000 && !other_ran.load(); ++i) goro::yield();
    EXPECT_TRUE(other_ran.load());
  });
}

TEST_P(SchedTest, NumGoroutineCountsLiveGoroutines) {
  run_in_goro([] {
    EXPECT_EQ(goro::num_goroutine(), 1);
    latch started(10), release(1), finished(10);
    for (int i = 0; i < 10; ++i) {
      goro::go([&] {
        started.count_down();
        release.wait();
        finished.count_down();
      });
    }
    started.wait();
    EXPECT_EQ(goro::num_goroutine(), 11);
    release.count_down();
    finished.wait();
    // The finishing goroutines may still be on their way out: yield until they are gone.
    for (int i = 0; i < 100000 && goro::num_goroutine() != 1; ++i) goro::yield();
    EXPECT_EQ(goro::num_goroutine(), 1);
  });
}

// No lost wake-up: spawn/park/ready churn across Ps.
TEST_P(SchedTest, ParkReadyStressLosesNoWakeup) {
  run_in_goro([] {
    for (int i = 0; i < 10000; ++i) {
      latch ping(1);
      latch pong(1);
      goro::go([&] {
        ping.wait();
        pong.count_down();
      });
      ping.count_down();
      pong.wait();
    }
  });
}

// errno is read through a call the compiler cannot fold: __errno_location() is declared const, so
// within one function a compiler may reuse the thread's errno address across a switch (see
// docs/design/scheduler.md). Through a fresh call, each goroutine sees its own value on any M.
__attribute__((noinline)) int read_errno() { return errno; }
__attribute__((noinline)) void write_errno(int v) { errno = v; }

TEST_P(SchedTest, ErrnoIsPerGoroutine) {
  run_in_goro([] {
    constexpr int kN = 64;
    latch done(kN);
    std::atomic<int> wrong{0};
    for (int i = 0; i < kN; ++i) {
      goro::go([&, i] {
        write_errno(1000 + i);
        for (int k = 0; k < 50; ++k) {
          goro::yield();
          if (read_errno() != 1000 + i) wrong.fetch_add(1);
        }
        done.count_down();
      });
    }
    done.wait();
    EXPECT_EQ(wrong.load(), 0);
  });
}

// A goroutine that blocks on a channel whose partner is ready jumps straight to it (a hand-off),
// and the arriving goroutine restores its own errno and exception state: both must survive every
// round trip, in both goroutines.
TEST_P(SchedTest, ErrnoAndCaughtExceptionSurviveChannelHandOffs) {
  run_in_goro([] {
    constexpr int kRounds = 2000;
    auto ping = goro::make_chan<int>(0);
    auto pong = goro::make_chan<int>(0);
    latch done(1);
    std::atomic<int> wrong{0};
    goro::go([&] {
      try {
        throw std::runtime_error("echo");
      } catch (const std::runtime_error&) {
        write_errno(7);
        for (int i = 0; i < kRounds; ++i) {
          pong.send(ping.recv() + 1);
          if (read_errno() != 7 || std::current_exception() == nullptr) wrong.fetch_add(1);
        }
      }
      done.count_down();
    });
    write_errno(3);
    for (int i = 0; i < kRounds; ++i) {
      ping.send(i);
      if (pong.recv() != i + 1) wrong.fetch_add(1);
      if (read_errno() != 3 || std::current_exception() != nullptr) wrong.fetch_add(1);
    }
    done.wait();
    EXPECT_EQ(wrong.load(), 0);
  });
}

TEST_P(SchedTest, RethrowAfterParkingInsideCatchOnAnotherThread) {
  run_in_goro([] {
    constexpr int kN = 32;
    latch done(kN);
    std::atomic<int> caught{0};
    for (int i = 0; i < kN; ++i) {
      goro::go([&, i] {
        try {
          try {
            throw std::runtime_error("inner " + std::to_string(i));
          } catch (...) {
            for (int k = 0; k < 20; ++k) goro::yield();  // likely resumes on another M
            throw;
          }
        } catch (const std::runtime_error& e) {
          if (std::string(e.what()) == "inner " + std::to_string(i)) caught.fetch_add(1);
        }
        done.count_down();
      });
    }
    done.wait();
    EXPECT_EQ(caught.load(), kN);
    EXPECT_EQ(std::uncaught_exceptions(), 0);
  });
}

TEST_P(SchedTest, CurrentMIsReadAfreshAfterMigration) {
  run_in_goro([] {
    // A goroutine that yields often must always see its own M as the one running it.
    constexpr int kN = 16;
    latch done(kN);
    std::atomic<int> mismatches{0};
    for (int i = 0; i < kN; ++i) {
      goro::go([&] {
        for (int k = 0; k < 200; ++k) {
          goro::yield();
          goro::sched::M* m = goro::sched::current_m();
          if (m->curg != goro::sched::current_g() || m->thread != pthread_self())
            mismatches.fetch_add(1);
        }
        done.count_down();
      });
    }
    done.wait();
    EXPECT_EQ(mismatches.load(), 0);
  });
}

TEST_P(SchedTest, GoWithStackGivesTheRequestedSize) {
  run_in_goro([] {
    latch done(1);
    std::size_t size = 0;
    goro::go_with_stack(1 << 20, [&] {
      size = goro::sched::current_g()->stack.size();
      done.count_down();
    });
    done.wait();
    EXPECT_GE(size, std::size_t{1} << 20);
  });
}

TEST_P(SchedTest, GoroutinesSpawnedFromForeignThreadRun) {
  run_in_goro([] {
    latch done(1);
    std::thread t([&] { goro::go([&] { done.count_down(); }); });
    t.join();
    done.wait();
  });
}

// Where Gs live (goroutine.cpp, new_g): one made on a short queue at the top of its home stack
// slot, one made elsewhere in a G chunk (g_chunks.hpp), with a stack taken when it first runs.
struct g_placement {
  goro::sched::G* g = nullptr;
  goro::stack::stack home;
  goro::stack::stack stack;
  std::uintptr_t a_local = 0;  // an address in the goroutine's frames
};

g_placement placement_of_current() {
  goro::sched::G* g = goro::sched::current_g();
  return {g, g->home, g->stack, reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0))};
}

TEST(GoroutineHomeTest, ANewGoroutineOnAShortQueueLivesAtTheTopOfItsStack) {
  goro_test::run_in_goro(
      [] {
        g_placement seen;
        latch done(1);
        goro::go([&] {
          seen = placement_of_current();
          done.count_down();
        });
        done.wait();
        const auto g = reinterpret_cast<std::uintptr_t>(seen.g);
        ASSERT_FALSE(seen.home.empty());
        EXPECT_EQ(g, seen.home.hi) << "the G sits just above its home stack";
        EXPECT_EQ(seen.stack.lo, seen.home.lo) << "and runs on it";
        EXPECT_EQ(seen.stack.hi, seen.home.hi);
        EXPECT_GE(seen.a_local, seen.stack.lo);
        EXPECT_LT(seen.a_local, seen.stack.hi);
        // Within the slot: the next slot's canary is above it, a page at most from the stack's top.
        EXPECT_EQ(g / goro::stack::kPageSize, (seen.home.hi - 1) / goro::stack::kPageSize);
        EXPECT_TRUE(goro::stack::canary_intact(seen.stack));
      },
      1);
}

TEST(GoroutineHomeTest, GoroutinesMadeWithoutAPGetChunkGsAndStacksWhenTheyRun) {
  goro_test::run_in_goro(
      [] {
        constexpr int kGoroutines = 3;
        g_placement seen[kGoroutines];
        std::uint64_t sums[kGoroutines] = {};
        latch done(kGoroutines);
        std::thread t([&] {
          for (int i = 0; i < kGoroutines; ++i) {
            // 256 bytes of captures: too big for the G's inline storage, so the G points to its
            // closure on the heap.
            std::array<std::uint64_t, 32> words{};
            for (std::size_t k = 0; k < words.size(); ++k) words[k] = i * 100 + k;
            goro::go([&, i, words] {
              seen[i] = placement_of_current();
              for (std::uint64_t w : words) sums[i] += w;
              done.count_down();
            });
          }
        });
        t.join();
        done.wait();
        for (int i = 0; i < kGoroutines; ++i) {
          SCOPED_TRACE(i);
          EXPECT_EQ(sums[i], i * 3200u + 496u) << "the closure arrived whole";
          EXPECT_TRUE(seen[i].home.empty());
          EXPECT_FALSE(seen[i].stack.empty());
          const auto g = reinterpret_cast<std::uintptr_t>(seen[i].g);
          EXPECT_EQ(g % 64, 0u) << "a chunk G takes whole cache lines";
          EXPECT_FALSE(g >= seen[i].stack.lo && g < seen[i].stack.hi + goro::stack::kPageSize)
              << "a chunk G is not in its stack's slot";
          EXPECT_GE(seen[i].a_local, seen[i].stack.lo);
          EXPECT_LT(seen[i].a_local, seen[i].stack.hi);
          for (int j = 0; j < i; ++j) {
            const auto other = reinterpret_cast<std::uintptr_t>(seen[j].g);
            EXPECT_GE(g > other ? g - other : other - g, sizeof(goro::sched::G))
                << "Gs " << j << " and " << i << " overlap";
          }
        }
      },
      1);
}

// A G chunk's pages are populated a window (64 KiB) ahead of the Gs carved from it, where they used
// to fault in one by one as Gs reached them. Gs are carved until one starts a fresh chunk (at most
// a chunk's worth, 1 MiB that is never given back: Gs never are); that G's whole window is
// resident.
TEST(GoroutineHomeTest, AFreshGChunksFirstWindowIsResidentWithItsFirstG) {
  using goro::sched::kGRecordBytes;
  char* prev = reinterpret_cast<char*>(goro::sched::new_chunk_g());
  char* first = nullptr;
  for (int i = 0; i < 4000 && first == nullptr; ++i) {
    auto* g = reinterpret_cast<char*>(goro::sched::new_chunk_g());
    if (g != prev + kGRecordBytes) first = g;
    prev = g;
  }
  ASSERT_NE(first, nullptr) << "no fresh chunk in 4000 Gs";
  constexpr std::size_t kWindow = 64 << 10;
  unsigned char in_core[kWindow / goro::stack::kPageSize];
  ASSERT_EQ(mincore(first, kWindow, in_core), 0);
  int resident = 0;
  for (unsigned char c : in_core) resident += c & 1;
  EXPECT_EQ(resident, static_cast<int>(sizeof in_core)) << "pages of the first window resident";
}

// go_with_stack on a G with a home: it runs on a stack of the size asked, then the G goes back to
// its home stack for the next goroutine that reuses it (one P: its free list gives the same G).
TEST(GoroutineHomeTest, AGoroutineAtHomeRunsOnTheStackSizeAskedForAndTheGReturnsHome) {
  goro_test::run_in_goro(
      [] {
        g_placement first, big, again;
        for (auto* out : {&first, &big, &again}) {
          latch done(1);
          auto body = [&, out] {
            *out = placement_of_current();
            done.count_down();
          };
          if (out == &big) {
            goro::go_with_stack(1 << 20, body);
          } else {
            goro::go(body);
          }
          done.wait();
        }
        ASSERT_FALSE(first.home.empty());
        EXPECT_EQ(big.g, first.g);
        EXPECT_EQ(again.g, first.g);
        EXPECT_GE(big.stack.size(), std::size_t{1} << 20);
        EXPECT_NE(big.stack.lo, big.home.lo);
        EXPECT_GE(big.a_local, big.stack.lo);
        EXPECT_LT(big.a_local, big.stack.hi);
        EXPECT_EQ(again.stack.lo, first.home.lo);
        EXPECT_EQ(again.stack.hi, first.home.hi);
      },
      1);
}

// go_with_stack's "at least": a request the default size meets gets a default stack, for a G at
// home (which keeps its home stack) and for a chunk G (which takes one when it first runs).
TEST(GoroutineHomeTest, ASmallStackRequestGetsADefaultStackWhereverTheGLives) {
  goro_test::run_in_goro(
      [] {
        g_placement at_home, in_chunk;
        latch done(2);
        goro::go_with_stack(4096, [&] {
          at_home = placement_of_current();
          done.count_down();
        });
        std::thread t([&] {
          goro::go_with_stack(4096, [&] {
            in_chunk = placement_of_current();
            done.count_down();
          });
        });
        t.join();
        done.wait();
        ASSERT_FALSE(at_home.home.empty());
        EXPECT_EQ(at_home.stack.lo, at_home.home.lo);
        ASSERT_TRUE(in_chunk.home.empty());
        EXPECT_EQ(in_chunk.stack.size(), goro::stack::default_size());
        EXPECT_NE(in_chunk.stack.canary, 0u) << "a slot of the default pool";
      },
      1);
}

TEST_P(SchedTest, GomaxprocsCanChangeAtRunTime) {
  run_in_goro([] {
    int before = goro::gomaxprocs();
    EXPECT_EQ(goro::gomaxprocs(3), before);
    EXPECT_EQ(goro::gomaxprocs(), 3);
    constexpr int kN = 1000;
    latch done(kN);
    for (int i = 0; i < kN; ++i)
      goro::go([&] {
        goro::yield();
        done.count_down();
      });
    EXPECT_EQ(goro::gomaxprocs(1), 3);
    done.wait();
    EXPECT_EQ(goro::gomaxprocs(), 1);
  });
}

#if defined(GORO_SANITIZE)
// An exiting goroutine leaves the frames it switched away from for the last time poisoned; a
// goroutine that later runs on the same stack must find everything below its own frame clean, or
// AddressSanitizer reports overflows in correct code there.
TEST_P(SchedTest, AReusedStackCarriesNoStalePoison) {
  run_in_goro([] {
    for (int i = 0; i < 200; ++i) {
      latch done(1);
      const void* poisoned = nullptr;
      goro::go([&] {
        std::uintptr_t sp;
        asm volatile("mov %%rsp, %0" : "=r"(sp));
        const std::uintptr_t lo = goro::sched::current_g()->stack.lo;
        poisoned = __asan_region_is_poisoned(reinterpret_cast<void*>(lo), sp - lo);
        done.count_down();
      });
      done.wait();
      ASSERT_EQ(poisoned, nullptr) << "after " << i << " goroutines";
    }
  });
}
#endif

GORO_INSTANTIATE_PROCS(SchedTest);

}  // namespace
