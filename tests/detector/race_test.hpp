// Helpers for the detector's tests: run a body as goroutine 1 and check how many races it reported.
//
// Each check runs in a child process (a GoogleTest death test, forked before goro::run), because
// goro::run is once per process and a found race changes the exit status to 66. The child exits
// with 66 when exactly the expected number of races (> 0) was reported, 0 when none was expected
// and none was found, and 3 with a message otherwise; the parent checks the status and the report
// text.
//
// Goroutines in these tests call the race ABI by hand (the code is not instrumented), and wait for
// each other with race_test::latch, which parks and readies without telling the detector: it
// creates no happens-before edge, so only the edges under test order the accesses.
// (goro_test::latch would not do: its std::mutex is a pthread mutex, which the race runtime turns
// into an edge.)
//
// Example:
//   TEST_P(AccessTest, UnsyncedWritesRace) {
//     EXPECT_RACES(1, [] {
//       int x = 0;
//       latch done(2);
//       for (int i = 0; i < 2; ++i) goro::go([&] { write(&x); done.count_down(); });
//       done.wait();
//     });
//   }
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <goro/goro.hpp>
#include <memory>
#include <vector>

#include "goro/race_abi.h"
#include "report.hpp"
#include "sched/sched.hpp"
#include "support/goro_test.hpp"

namespace race_test {

// A countdown latch the detector cannot see: a spin lock on a std::atomic (test code is not
// instrumented) around park/ready, which make no happens-before edges either.
class latch {
 public:
  explicit latch(int count) : count_(count) {}
  latch(const latch&) = delete;
  latch& operator=(const latch&) = delete;

  void count_down() {
    lock();
    if (--count_ != 0) {
      unlock();
      return;
    }
    std::vector<goro::sched::G*> waiters;
    waiters.swap(waiters_);
    unlock();
    for (goro::sched::G* w : waiters) goro::sched::ready(w);
  }

  void wait() {
    lock();
    if (count_ == 0) {
      unlock();
      return;
    }
    waiters_.push_back(goro::sched::current_g());
    goro::sched::park(
        goro::sched::wait_reason::parked,
        [](goro::sched::G*, void* self) {
          static_cast<latch*>(self)->unlock();
          return true;
        },
        this);
  }

 private:
  void lock() {
    // acquire/release: the latch's own state, nothing the detector needs to know about.
    while (held_.exchange(true, std::memory_order_acquire)) {
    }
  }
  void unlock() { held_.store(false, std::memory_order_release); }

  std::atomic<bool> held_{false};
  int count_;
  std::vector<goro::sched::G*> waiters_;
};

// Plain accesses through the ABI, as instrumented code makes them.
inline void write(void* p, unsigned size = 4) {
  switch (size) {
    case 1:
      __goro_write1(p);
      break;
    case 2:
      __goro_write2(p);
      break;
    case 4:
      __goro_write4(p);
      break;
    case 8:
      __goro_write8(p);
      break;
    case 16:
      __goro_write16(p);
      break;
    default:
      __goro_write_range(p, size);
      break;
  }
}
inline void read(const void* p, unsigned size = 4) {
  switch (size) {
    case 1:
      __goro_read1(p);
      break;
    case 2:
      __goro_read2(p);
      break;
    case 4:
      __goro_read4(p);
      break;
    case 8:
      __goro_read8(p);
      break;
    case 16:
      __goro_read16(p);
      break;
    default:
      __goro_read_range(p, size);
      break;
  }
}

// Runs body as goroutine 1 and ends the process (see the file comment). procs: GOMAXPROCS (0: as
// is).
template <class F>
[[noreturn]] void run_expecting(std::size_t expected, F body, int procs = 0) {
  goro_test::run_in_goro(
      [&] {
        body();
        const std::size_t got = goro::race::races_found();
        if (got != expected) {
          std::fprintf(stderr, "race_test: expected %zu race report(s), got %zu\n", expected, got);
          std::fflush(stderr);
          _exit(3);
        }
      },
      procs);
}

// The same for the detector's other reports: body must make exactly `expected` of the kind that
// found() counts (inversions_found, after_returns_found) and no data race.
template <class Found, class F>
[[noreturn]] void run_expecting_reports(const char* kind, Found found, std::size_t expected, F body,
                                        int procs) {
  goro_test::run_in_goro(
      [&] {
        body();
        const std::size_t got = found();
        const std::size_t races = goro::race::races_found();
        if (got != expected || races != 0) {
          std::fprintf(stderr, "race_test: expected %zu %s and no race, got %zu and %zu race(s)\n",
                       expected, kind, got, races);
          std::fflush(stderr);
          _exit(3);
        }
      },
      procs);
}

// Runs fn(0), ..., fn(n-1) in n goroutines, one after another in time but with no happens-before
// edge between them (each waits for the previous one through a latch), and waits for all the same
// way. Racing accesses made at the very same instant can both miss each other (two threads each
// check the shadow before the other stores: a window TSan has too), so tests that expect a race
// separate the accesses in time this way.
template <class F>
void in_goroutines(int n, F fn) {
  std::vector<std::unique_ptr<latch>> turns;
  for (int i = 0; i <= n; ++i) turns.push_back(std::make_unique<latch>(i == 0 ? 0 : 1));
  for (int i = 0; i < n; ++i) {
    goro::go([&turns, &fn, i] {
      turns[i]->wait();
      fn(i);
      turns[i + 1]->count_down();
    });
  }
  turns[n]->wait();
}

// Runs fn(0), ..., fn(n-1) in n goroutines at once, for tests that expect no race however the
// goroutines interleave; waits for them without a happens-before edge.
template <class F>
void concurrently(int n, F fn) {
  latch done(n);
  for (int i = 0; i < n; ++i) {
    goro::go([&done, &fn, i] {
      fn(i);
      done.count_down();
    });
  }
  done.wait();
}

class procs_test : public ::testing::TestWithParam<int> {};

}  // namespace race_test

// The body reports exactly n races (n > 0: with "WARNING: DATA RACE" on stderr), in a child
// process, at the GOMAXPROCS of the test's parameter.
#define EXPECT_RACES(n, ...)                                            \
  EXPECT_EXIT(race_test::run_expecting((n), (__VA_ARGS__), GetParam()), \
              ::testing::ExitedWithCode((n) > 0 ? 66 : 0), (n) > 0 ? "WARNING: DATA RACE" : "")

#define GORO_RACE_INSTANTIATE_PROCS(fixture)                           \
  INSTANTIATE_TEST_SUITE_P(Procs, fixture, ::testing::Values(1, 2, 4), \
                           ::testing::PrintToStringParamName())
