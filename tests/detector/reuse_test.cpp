// Memory that is reused must forget its accesses: a recycled goroutine stack, a freed heap block
// and an unmapped range are new memory to their next user, who must not race with the previous one.
// Each test first checks that the memory really was reused (else it proves nothing).
#include <alloca.h>
#include <dlfcn.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "context.hpp"
#include "race_test.hpp"
#include "sched/sched.hpp"
#include "shadow.hpp"
#include "sync_table.hpp"

namespace {

using race_test::latch;
using race_test::write;

class ReuseTest : public race_test::procs_test {};

// Writes a local and reports its address, in a goroutine of its own; the caller learns that it
// finished through a latch (no happens-before edge).
std::uintptr_t write_a_local_in_a_goroutine() {
  std::uintptr_t where = 0;
  latch done(1);
  goro::go([&] {
    volatile std::uint64_t local[4] = {};
    write(const_cast<std::uint64_t*>(&local[1]), 8);
    where = reinterpret_cast<std::uintptr_t>(&local[1]);
    done.count_down();
  });
  done.wait();
  // Let it finish (its stack goes back to the P's cache) before the next one starts.
  for (int i = 0; i < 10; ++i) goro::yield();
  return where;
}

TEST(ReuseTest, RecycledGoroutineStackDoesNotRaceWithItsPreviousUser) {
  EXPECT_EXIT(race_test::run_expecting(
                  0,
                  [] {
                    const std::uintptr_t first = write_a_local_in_a_goroutine();
                    const std::uintptr_t second = write_a_local_in_a_goroutine();
                    if (first != second) {
                      std::fprintf(stderr, "stack not reused: %lx vs %lx\n", first, second);
                      _exit(4);
                    }
                  },
                  1),
              ::testing::ExitedWithCode(0), "");
}

// A buffer alloca() made after its function's last other hook lies below every frame seen so far;
// another goroutine may write it (lent by pointer) while its owner makes no checked access that
// deep. The hook announcing the buffer live notes its frame, so the owner's end forgets the
// buffer's cells with the rest of the stack (e2e norace_lent_alloca_buffer_on_a_reused_stack).
TEST(ReuseTest, AnnouncingABufferLiveNotesTheFrameBelowIt) {
  EXPECT_EXIT(race_test::run_expecting(
                  0,
                  [] {
                    bool noted = false;
                    latch done(1);
                    goro::go([&] {
                      volatile int here = 0;
                      write(const_cast<int*>(&here));
                      // A size the compiler cannot see: a constant would make the buffer part of
                      // the frame, made at entry.
                      volatile std::size_t size = 16384;
                      auto* buf = static_cast<char*>(alloca(size));
                      const auto at = reinterpret_cast<std::uintptr_t>(buf);
                      const bool above = goro::race::current()->min_sp > at;
                      __goro_stack_live(buf, size);
                      noted = above && goro::race::current()->min_sp <= at;
                      done.count_down();
                    });
                    done.wait();
                    if (!noted) {
                      std::fprintf(stderr, "the buffer is not within the goroutine's used part\n");
                      _exit(4);
                    }
                  },
                  1),
              ::testing::ExitedWithCode(0), "");
}

TEST(ReuseTest, RecycledStackForgetsOnlyTheUsedPartCheaply) {
  // The reset covers the part the goroutine used, not the whole 64 KiB: the shadow of the stack's
  // lowest page stays untouched (never mapped in) after a shallow goroutine.
  EXPECT_EXIT(race_test::run_expecting(
                  0,
                  [] {
                    std::uintptr_t lo = 0;
                    latch done(1);
                    goro::go([&] {
                      lo = goro::sched::current_g()->stack.lo;
                      volatile int local = 0;
                      write(const_cast<int*>(&local));
                      done.count_down();
                    });
                    done.wait();
                    for (int i = 0; i < 10; ++i) goro::yield();
                    unsigned char vec = 0;
                    const auto page = goro::race::shadow_of(lo);
                    if (mincore(reinterpret_cast<void*>(reinterpret_cast<std::uintptr_t>(page) &
                                                        ~std::uintptr_t{4095}),
                                4096, &vec) == 0 &&
                        (vec & 1) != 0) {
                      std::fprintf(stderr, "the whole stack's shadow was written\n");
                      _exit(4);
                    }
                  },
                  1),
              ::testing::ExitedWithCode(0), "");
}

// In each attempt a goroutine hands a heap block on to its next owner (another goroutine) with no
// edge between them (the latch is built on bare park/ready). malloc reuses a freed block only on
// the thread that freed it, and with several Ps the next owner may run on another M: attempts
// repeat until the block was reused.
constexpr int kReuseAttempts = 100;

TEST_P(ReuseTest, FreedHeapBlockDoesNotRaceWithItsNextOwner) {
  EXPECT_RACES(0, [] {
    std::uintptr_t first = 0, second = 0;
    for (int attempt = 0; attempt < kReuseAttempts && (first == 0 || first != second); ++attempt) {
      for (std::uintptr_t* where : {&first, &second}) {
        latch done(1);
        goro::go([&] {
          auto* p = static_cast<std::uint64_t*>(std::malloc(48));
          write(p, 8);
          write(p + 5, 8);
          *where = reinterpret_cast<std::uintptr_t>(p);
          std::free(p);
          done.count_down();
        });
        done.wait();
      }
    }
    EXPECT_EQ(first, second) << "malloc did not reuse the block";
  });
}

TEST_P(ReuseTest, DeletedObjectDoesNotRaceWithTheNextNew) {
  // operator new/delete reach the interposed malloc/free through libstdc++.
  EXPECT_RACES(0, [] {
    std::uintptr_t first = 0, second = 0;
    for (int attempt = 0; attempt < kReuseAttempts && (first == 0 || first != second); ++attempt) {
      for (std::uintptr_t* where : {&first, &second}) {
        latch done(1);
        goro::go([&] {
          auto* p = new std::uint64_t[6];
          write(&p[2], 8);
          *where = reinterpret_cast<std::uintptr_t>(p);
          delete[] p;
          done.count_down();
        });
        done.wait();
      }
    }
    EXPECT_EQ(first, second) << "new did not reuse the block";
  });
}

TEST(ReuseTest, TheProgramUsesTheDetectorsAllocatorEntryPoints) {
  // The static archive brought the interposers along: the process resolves malloc and free to them,
  // and the ABI's init function is there.
  void* exe = dlopen(nullptr, RTLD_NOW);
  ASSERT_NE(exe, nullptr);
  EXPECT_EQ(dlsym(RTLD_DEFAULT, "malloc"), dlsym(exe, "malloc"));
  EXPECT_EQ(dlsym(RTLD_DEFAULT, "free"), dlsym(exe, "free"));
  EXPECT_NE(reinterpret_cast<void*>(&__goro_race_init_v1), nullptr);
  Dl_info info{};
  ASSERT_NE(dladdr(dlsym(RTLD_DEFAULT, "free"), &info), 0);
  EXPECT_EQ(std::string(info.dli_fname).find("libc.so"), std::string::npos) << info.dli_fname;
}

TEST_P(ReuseTest, ReallocMovedBlockForgetsTheOldPlace) {
  EXPECT_RACES(0, [] {
    std::uintptr_t old_place = 0, new_place = 0;
    for (int attempt = 0; attempt < kReuseAttempts && (new_place == 0 || new_place != old_place);
         ++attempt) {
      latch done(1);
      goro::go([&] {
        auto* p = static_cast<char*>(std::malloc(32));
        write(p, 8);
        old_place = reinterpret_cast<std::uintptr_t>(p);
        p = static_cast<char*>(std::realloc(p, 1 << 20));
        write(p, 8);
        std::free(p);
        done.count_down();
      });
      done.wait();
      auto* q = static_cast<char*>(std::malloc(32));
      new_place = reinterpret_cast<std::uintptr_t>(q);
      write(q, 8);
      std::free(q);
    }
    EXPECT_EQ(new_place, old_place);
  });
}

TEST_P(ReuseTest, LargeFreedBlockForgetsItsShadow) {
  EXPECT_RACES(0, [] {
    constexpr std::size_t kBytes = 8 << 20;
    std::uintptr_t first = 0, second = 0;
    for (std::uintptr_t* where : {&first, &second}) {
      latch done(1);
      goro::go([&] {
        auto* p = static_cast<char*>(std::malloc(kBytes));
        __goro_memset(p, 1, kBytes);
        *where = reinterpret_cast<std::uintptr_t>(p);
        std::free(p);
        done.count_down();
      });
      done.wait();
    }
    if (first == second) SUCCEED();  // mmap'ed chunks often come back at the same address
  });
}

TEST_P(ReuseTest, FreeingMemoryDropsItsSyncObjects) {
  EXPECT_RACES(0, [] {
    const std::size_t before = goro::race::sync_object_count();
    std::vector<goro::Mutex*> mutexes;
    for (int i = 0; i < 1000; ++i) {
      mutexes.push_back(new goro::Mutex);
      mutexes.back()->lock();
      mutexes.back()->unlock();  // the release creates the Mutex's sync object
    }
    EXPECT_GE(goro::race::sync_object_count(), before + 1000);
    for (goro::Mutex* mu : mutexes) delete mu;
    EXPECT_LE(goro::race::sync_object_count(), before + 2);
  });
}

TEST_P(ReuseTest, UnmappedMemoryDoesNotRaceWithTheNextMapping) {
  EXPECT_RACES(0, [] {
    constexpr std::size_t kBytes = 1 << 16;
    void* second = nullptr;
    latch done(1);
    goro::go([&] {
      // The same place again, for certain: unmapped and mapped again at once, retried in the rare
      // case another thread (an M starting up) mapped something there in between.
      for (int attempt = 0; attempt < 100 && second == nullptr; ++attempt) {
        void* first =
            mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        write(first, 8);
        munmap(first, kBytes);
        void* again = mmap(first, kBytes, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (again == first) {
          second = again;
        } else if (again != MAP_FAILED) {
          munmap(again, kBytes);
        }
      }
      done.count_down();
    });
    done.wait();
    // The new mapping is new memory: this goroutine's write is unordered with the old one's.
    ASSERT_NE(second, nullptr);
    write(second, 8);
    munmap(second, kBytes);
  });
}

GORO_RACE_INSTANTIATE_PROCS(ReuseTest);

}  // namespace
