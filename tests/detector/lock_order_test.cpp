// Lock-order tracking through the real locks (detector/src/lock_order.cpp): goro::Mutex, RWMutex
// and pthread mutexes taken by goroutines one after another (a latch the detector cannot see
// orders them in time, so no run ever deadlocks). An inversion is reported once and counts in the
// exit status; consistent orders, try_lock, re-taking a recursive mutex, a lock whose memory was
// freed and reused, and a Mutex unlocked by another goroutine than its locker report nothing.
// Each check runs in a child process (see race_test.hpp).
#include "lock_order.hpp"

#include <pthread.h>

#include <mutex>
#include <new>
#include <shared_mutex>

#include "lock_graph.hpp"
#include "race_test.hpp"
#include "sync_table.hpp"

namespace {

using race_test::in_goroutines;

#define EXPECT_INVERSIONS(n, ...)                                                               \
  EXPECT_EXIT(                                                                                  \
      race_test::run_expecting_reports("lock-order inversion(s)", goro::race::inversions_found, \
                                       (n), (__VA_ARGS__), GetParam()),                         \
      ::testing::ExitedWithCode((n) > 0 ? 66 : 0),                                              \
      (n) > 0 ? "WARNING: lock-order inversion \\(potential deadlock\\)" : "")

class LockOrderTest : public race_test::procs_test {};

TEST_P(LockOrderTest, InvertedPairIsReportedOnce) {
  EXPECT_INVERSIONS(1, [] {
    goro::Mutex a, b;
    // Four goroutines: two each way; the second of each way finds only known edges.
    in_goroutines(4, [&](int i) {
      goro::Mutex& first = i % 2 == 0 ? a : b;
      goro::Mutex& second = i % 2 == 0 ? b : a;
      first.lock();
      second.lock();
      second.unlock();
      first.unlock();
    });
  });
}

TEST_P(LockOrderTest, ConsistentOrderIsClean) {
  EXPECT_INVERSIONS(0, [] {
    goro::Mutex a, b, c;
    in_goroutines(6, [&](int i) {
      std::lock_guard la(a);
      if (i % 2 == 0) {
        std::lock_guard lb(b);
        std::lock_guard lc(c);
      } else {
        std::lock_guard lc(c);  // a→c, with a→b→c already known: still acyclic
      }
    });
  });
}

TEST_P(LockOrderTest, ReadLockHeldWhileTakingAnotherMakesAnEdge) {
  EXPECT_INVERSIONS(1, [] {
    goro::RWMutex rw;
    goro::Mutex m;
    in_goroutines(2, [&](int i) {
      if (i == 0) {
        std::shared_lock r(rw);
        std::lock_guard l(m);
      } else {
        std::lock_guard l(m);
        std::shared_lock r(rw);
      }
    });
  });
}

TEST_P(LockOrderTest, TryLockMakesNoIncomingEdge) {
  EXPECT_INVERSIONS(0, [] {
    goro::Mutex a, b;
    in_goroutines(2, [&](int i) {
      if (i == 0) {
        std::lock_guard la(a);
        std::lock_guard lb(b);
      } else {
        std::lock_guard lb(b);
        if (a.try_lock()) a.unlock();
      }
    });
  });
}

TEST_P(LockOrderTest, LockTakenByTryLockIsASourceOfEdges) {
  EXPECT_INVERSIONS(1, [] {
    goro::Mutex a, b;
    in_goroutines(2, [&](int i) {
      if (i == 0) {
        std::lock_guard la(a);
        std::lock_guard lb(b);
      } else {
        while (!b.try_lock()) {
        }
        std::lock_guard la(a);  // b→a: b was try-locked, but a is taken with a blocking call
        b.unlock();
      }
    });
  });
}

TEST_P(LockOrderTest, FreedAndReusedLocksStartClean) {
  EXPECT_INVERSIONS(0, [] {
    alignas(goro::Mutex) unsigned char storage[2][sizeof(goro::Mutex)];
    auto* a = new (storage[0]) goro::Mutex;
    auto* b = new (storage[1]) goro::Mutex;
    in_goroutines(1, [&](int) {
      std::lock_guard la(*a);
      std::lock_guard lb(*b);
    });
    // What free() does to the block: its sync objects (and so the locks' nodes) go.
    goro::race::sync_free_range(reinterpret_cast<std::uintptr_t>(storage), sizeof storage);
    auto* b2 = new (storage[1]) goro::Mutex;
    auto* a2 = new (storage[0]) goro::Mutex;
    in_goroutines(1, [&](int) {
      std::lock_guard lb(*b2);
      std::lock_guard la(*a2);
    });
  });
}

TEST_P(LockOrderTest, RetakingARecursiveMutexMakesNoEdge) {
  EXPECT_INVERSIONS(0, [] {
    goro::Mutex m;
    in_goroutines(1, [&](int) {
      pthread_mutexattr_t attr;
      pthread_mutexattr_init(&attr);
      pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
      pthread_mutex_t r;
      pthread_mutex_init(&r, &attr);
      pthread_mutex_lock(&r);
      m.lock();                // r→m
      pthread_mutex_lock(&r);  // r again while holding m: held already, so no m→r
      pthread_mutex_unlock(&r);
      m.unlock();
      pthread_mutex_unlock(&r);
      pthread_mutex_destroy(&r);
      pthread_mutexattr_destroy(&attr);
    });
  });
}

TEST_P(LockOrderTest, UnlockByAnotherGoroutineLeavesNoStaleHolder) {
  EXPECT_INVERSIONS(0, [] {
    goro::Mutex a, b;
    race_test::latch locked(1), unlocked(1), done(1);
    goro::go([&] {
      a.lock();
      locked.count_down();
      unlocked.wait();
      // a is no longer held by anyone: taking b makes no a→b edge.
      std::lock_guard lb(b);
      done.count_down();
    });
    locked.wait();
    a.unlock();  // Go allows it
    unlocked.count_down();
    done.wait();
    in_goroutines(1, [&](int) {
      std::lock_guard lb(b);
      std::lock_guard la(a);
    });
  });
}

TEST_P(LockOrderTest, ManyLocksStayUnderTheCap) {
  EXPECT_INVERSIONS(0, [] {
    constexpr std::uint32_t kNodes = 1024;
    goro::race::lock_graph_set_limits_for_testing(kNodes, 2048);
    constexpr int kLocks = 100000;
    auto* locks = new goro::Mutex[kLocks];
    in_goroutines(1, [&](int) {
      locks[0].lock();
      for (int i = 1; i < kLocks; ++i) {
        locks[i].lock();
        locks[i - 1].unlock();
      }
      locks[kLocks - 1].unlock();
    });
    EXPECT_LE(goro::race::lock_node_count(), kNodes);
    EXPECT_LE(goro::race::lock_edge_count(), 2048u);
    delete[] locks;
  });
}

GORO_RACE_INSTANTIATE_PROCS(LockOrderTest);

}  // namespace
