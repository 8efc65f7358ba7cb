// POSIX thread primitives as happens-before edges: std::thread, std::mutex, std::shared_mutex,
// std::condition_variable, std::call_once and semaphores order accesses in plain-thread programs
// and in programs that mix threads with goroutines; without them, threads race.
#include <semaphore.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

#include "race_test.hpp"

namespace {

using race_test::read;
using race_test::write;

// Runs body on this (plain) thread, never entering goro::run, and exits as run_expecting does.
template <class F>
[[noreturn]] void run_plain(std::size_t expected, F body) {
  body();
  const std::size_t got = goro::race::races_found();
  if (got != expected) {
    std::fprintf(stderr, "race_test: expected %zu race report(s), got %zu\n", expected, got);
    _exit(3);
  }
  _exit(got > 0 ? 66 : 0);
}

#define EXPECT_PLAIN_RACES(n, ...)                                                        \
  EXPECT_EXIT(run_plain((n), (__VA_ARGS__)), ::testing::ExitedWithCode((n) > 0 ? 66 : 0), \
              (n) > 0 ? "WARNING: DATA RACE" : "")

TEST(PthreadTest, ThreadCreationAndJoinOrderAccesses) {
  EXPECT_PLAIN_RACES(0, [] {
    int x = 0;
    write(&x);
    std::thread t([&] { write(&x); });
    t.join();
    write(&x);
  });
}

// b writes only after a has (a relaxed flag: this file is not instrumented, so it is no edge), so
// the two writes are never made at the same instant, where they could miss each other.
TEST(PthreadTest, UnsynchronizedThreadsRace) {
  EXPECT_PLAIN_RACES(1, [] {
    int x = 0;
    std::atomic<bool> written{false};
    std::thread a([&] {
      write(&x);
      written.store(true, std::memory_order_relaxed);
    });
    std::thread b([&] {
      while (!written.load(std::memory_order_relaxed)) std::this_thread::yield();
      write(&x);
    });
    a.join();
    b.join();
  });
}

TEST(PthreadTest, ReportNamesThreads) {
  EXPECT_EXIT(run_plain(1,
                        [] {
                          int x = 0;
                          std::atomic<bool> written{false};
                          std::thread a([&] { write(&x); });
                          a.join();
                          std::thread b([&] {  // after join: ordered
                            write(&x);
                            written.store(true, std::memory_order_relaxed);
                          });
                          std::thread c([&] {  // unordered with b, and after it in time
                            while (!written.load(std::memory_order_relaxed)) {
                              std::this_thread::yield();
                            }
                            write(&x);
                          });
                          b.join();
                          c.join();
                        }),
              ::testing::ExitedWithCode(66), "by thread T[0-9]+:");
}

TEST(PthreadTest, StdMutexOrdersCriticalSections) {
  EXPECT_PLAIN_RACES(0, [] {
    long x = 0;
    std::mutex mu;
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([&] {
        for (int k = 0; k < 1000; ++k) {
          std::lock_guard l(mu);
          write(&x, 8);
        }
      });
    }
    for (auto& t : threads) t.join();
  });
}

TEST(PthreadTest, SharedMutexOrdersWritersAfterReaders) {
  EXPECT_PLAIN_RACES(0, [] {
    long x = 0;
    std::shared_mutex mu;
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([&, i] {
        for (int k = 0; k < 200; ++k) {
          if ((i + k) % 3 == 0) {
            std::unique_lock l(mu);
            write(&x, 8);
          } else {
            std::shared_lock l(mu);
            read(&x, 8);
          }
        }
      });
    }
    for (auto& t : threads) t.join();
  });
}

TEST(PthreadTest, ConditionVariableHandOff) {
  EXPECT_PLAIN_RACES(0, [] {
    int x = 0;
    bool ready = false;
    std::mutex mu;
    std::condition_variable cv;
    std::thread consumer([&] {
      std::unique_lock l(mu);
      cv.wait(l, [&] { return ready; });
      l.unlock();
      write(&x);
    });
    write(&x);
    {
      std::lock_guard l(mu);
      ready = true;
    }
    cv.notify_one();
    consumer.join();
  });
}

TEST(PthreadTest, CallOnceOrdersTheInitialisation) {
  EXPECT_PLAIN_RACES(0, [] {
    int x = 0;
    std::once_flag once;
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([&] {
        std::call_once(once, [&] { write(&x); });
        read(&x);
      });
    }
    for (auto& t : threads) t.join();
  });
}

TEST(PthreadTest, SemaphorePostHappensBeforeWait) {
  EXPECT_PLAIN_RACES(0, [] {
    int x = 0;
    sem_t sem;
    sem_init(&sem, 0, 0);
    std::thread t([&] {
      write(&x);
      sem_post(&sem);
    });
    sem_wait(&sem);
    write(&x);
    t.join();
    sem_destroy(&sem);
  });
}

TEST(PthreadTest, GoroutinesAndThreadsShareAStdMutex) {
  EXPECT_EXIT(race_test::run_expecting(
                  0,
                  [] {
                    long x = 0;
                    std::mutex mu;
                    goro::WaitGroup wg;
                    std::thread t([&] {
                      for (int k = 0; k < 200; ++k) {
                        std::lock_guard l(mu);
                        write(&x, 8);
                      }
                    });
                    for (int i = 0; i < 4; ++i) {
                      wg.add(1);
                      goro::go([&] {
                        for (int k = 0; k < 50; ++k) {
                          std::lock_guard l(mu);  // blocks the M briefly: fine for a test
                          write(&x, 8);
                        }
                        wg.done();
                      });
                    }
                    wg.wait();
                    goro::blocking([&] { t.join(); });
                    write(&x, 8);
                  },
                  2),
              ::testing::ExitedWithCode(0), "");
}

TEST(PthreadTest, ThreadRacesWithAGoroutine) {
  EXPECT_EXIT(race_test::run_expecting(
                  1,
                  [] {
                    int x = 0;
                    // The goroutine writes after the thread, in time only: the latch is no edge.
                    // Two writes at the same instant could each miss the other (race_test.hpp).
                    race_test::latch written(1), done(1);
                    std::thread t([&] {
                      write(&x);
                      written.count_down();
                    });
                    goro::go([&] {
                      written.wait();
                      write(&x);
                      done.count_down();
                    });
                    done.wait();
                    goro::blocking([&] { t.join(); });
                  },
                  2),
              ::testing::ExitedWithCode(66), "WARNING: DATA RACE");
}

}  // namespace
