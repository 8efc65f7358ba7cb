// Safe points: the stack guard that instrumented code checks, preemption requests from sysmon, and
// stack overflow reports from the check's slow path. The plugin's inserted check is emulated here
// by safe_point(), which does what the instrumented prologue does.
#include <algorithm>
#include <atomic>

#include "goro/race_abi.h"
#include "sched/sched.hpp"
#include "support/goro_test.hpp"
#include "sysmon/stack_guard.hpp"

namespace {

__attribute__((noinline)) void safe_point() {
  auto sp = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  if (sp < __atomic_load_n(&__goro_stack_guard, __ATOMIC_RELAXED)) __goro_stack_check_slow(sp, 0);
}

// The guard holds the goroutine's limit, unless sysmon has just posted a preemption request into it
// (a goroutine that ran for 10 ms without a switch: a slow or loaded machine, a sanitizer build).
bool guard_armed_for(goro::sched::G* g) {
  const std::uintptr_t guard = __atomic_load_n(&__goro_stack_guard, __ATOMIC_RELAXED);
  return guard == g->stack.lo + goro::sysmon::kStackRedZone ||
         guard == goro::sysmon::kPreemptRequest;
}

class PreemptTest : public goro_test::procs_test {};

TEST_P(PreemptTest, GuardIsArmedOnGoroutineStacksOnly) {
  run_in_goro([] {
    EXPECT_TRUE(guard_armed_for(goro::sched::current_g()));
    std::uintptr_t inside_blocking = 1;
    goro::blocking(
        [&] { inside_blocking = __atomic_load_n(&__goro_stack_guard, __ATOMIC_RELAXED); });
    EXPECT_EQ(inside_blocking, 0u);  // the system stack is not the goroutine's
  });
}

TEST_P(PreemptTest, SysmonPreemptsALoopWithSafePoints) {
  run_in_goro([] {
    // On one P the spinner never blocks: only a preemption lets the other goroutine set the flag.
    goro::gomaxprocs(1);
    std::atomic<bool> flag{false};
    goro::WaitGroup wg;
    wg.add(1);
    goro::go([&] {
      flag = true;
      wg.done();
    });
    while (!flag.load(std::memory_order_relaxed)) safe_point();
    wg.wait();
  });
}

TEST_P(PreemptTest, RequestMakesTheNextSafePointYield) {
  run_in_goro([] {
    goro::gomaxprocs(1);
    // A preempted goroutine goes to the global queue (as Go's), where any M may take it: Ps above
    // the new GOMAXPROCS retire only at their next schedule. What shows the yield is the switch
    // itself: the goroutine records where it left its stack.
    goro::sched::G* g = goro::sched::current_g();
    g->park_pc = 0;
    goro::sysmon::request_preempt(goro::sched::current_m());
    safe_point();
    EXPECT_NE(g->park_pc, 0u);
    // The guard is re-armed for this goroutine afterwards.
    EXPECT_TRUE(guard_armed_for(goro::sched::current_g()));
  });
}

// A go statement is a safe point for code the plugin never saw (these tests, -O2 benchmarks).
TEST_P(PreemptTest, RequestMakesTheNextGoStatementYield) {
  run_in_goro([] {
    goro::gomaxprocs(1);
    goro::sched::G* g = goro::sched::current_g();
    g->park_pc = 0;
    goro::sysmon::request_preempt(goro::sched::current_m());
    goro::WaitGroup wg;
    wg.add(1);
    goro::go([&] { wg.done(); });
    EXPECT_NE(g->park_pc, 0u) << "the go statement did not yield to the request";
    EXPECT_TRUE(guard_armed_for(goro::sched::current_g()));
    wg.wait();
  });
}

// On one P a goroutine that only spawns never blocks. Before the go statement yielded after
// kSpawnsPerTurn of them in one turn, the goroutines it made waited for its time slice to end (10
// ms, tens of thousands of go statements: that many Gs at once in the spawn benchmark). Now the
// spawner is never more than about kSpawnsPerTurn ahead of them: that many queued, and with Ps
// above the new GOMAXPROCS not yet retired, what another P stole and has not run yet.
TEST_P(PreemptTest, ALoopOfGoStatementsLetsItsGoroutinesRun) {
  run_in_goro([] {
    goro::gomaxprocs(1);
    constexpr long kSpawns = 20'000;
    constexpr long kMostAhead = 2 * goro::sched::kSpawnsPerTurn + 8;
    std::atomic<long> ran{0};
    long most_ahead = 0;
    goro::WaitGroup wg;
    for (long spawned = 0; spawned < kSpawns; ++spawned) {
      most_ahead = std::max(most_ahead, spawned - ran.load(std::memory_order_relaxed));
      wg.add(1);
      goro::go([&] {
        ran.fetch_add(1, std::memory_order_relaxed);
        wg.done();
      });
    }
    EXPECT_LE(most_ahead, kMostAhead) << "the spawner ran ahead of the goroutines it made";
    wg.wait();
  });
}

// What shows a yield is the switch itself (the goroutine records where it left its stack), not
// another goroutine's progress: with Ps above the new GOMAXPROCS not yet retired, another M may
// run (or be slow to run) a goroutine whatever this one does.
TEST_P(PreemptTest, NoPreemptDefersTheYield) {
  run_in_goro([] {
    goro::gomaxprocs(1);
    goro::sched::G* g = goro::sched::current_g();
    {
      goro::sysmon::no_preempt hold;  // as while a channel runs an element's move under its lock
      goro::sysmon::request_preempt(goro::sched::current_m());
      g->park_pc = 0;
      safe_point();
      EXPECT_EQ(g->park_pc, 0u) << "a safe point inside no_preempt switched";
    }
    // The deferred request was dropped, as a late one: the guard is armed for this goroutine.
    EXPECT_TRUE(guard_armed_for(g));
  });
}

TEST_P(PreemptTest, SlowPathReportsOverflowInsideTheRedZone) {
  EXPECT_EXIT(goro_test::run_in_goro(
                  [] {
                    goro::go([] {
                      goro::sched::G* g = goro::sched::current_g();
                      __goro_stack_check_slow(g->stack.lo + 100, 0);
                    });
                    goro::sleep(std::chrono::hours(1));
                  },
                  GetParam()),
              ::testing::ExitedWithCode(2), "fatal error: stack overflow in goroutine [0-9]+");
}

TEST_P(PreemptTest, SlowPathIgnoresForeignStacks) {
  run_in_goro([] {
    __goro_stack_check_slow(0x1000, 0);  // far below this goroutine's stack: another stack
  });
}

GORO_INSTANTIATE_PROCS(PreemptTest);

// What makes a go statement yield is how many goroutines the spawner made in its turn, not how long
// the queue is: a goroutine that makes a few children and then waits for them runs on behind a
// long queue, and its last child, in runnext, runs next. (Yielding on a long queue, a tree of such
// goroutines ran breadth first: skynet held 130k goroutines' stacks at once instead of 18k.)
TEST(GoStatementTest, AFewGoStatementsDoNotYieldBehindALongQueue) {
  goro_test::run_in_goro(
      [] {
        std::atomic<bool> stop{false};
        goro::WaitGroup spinners;
        constexpr int kSpinners = goro::sched::run_queue::kSize / 2 - 1;
        spinners.add(kSpinners);
        for (int i = 0; i < kSpinners; ++i) {
          goro::go([&] {
            while (!stop.load(std::memory_order_relaxed)) goro::yield();
            spinners.done();
          });
        }
        goro::yield();  // a new turn, behind the spinners, who keep the queue this long
        std::atomic<int> children_ran{0};
        goro::WaitGroup children;
        children.add(10);
        for (int i = 0; i < 10; ++i) {
          goro::go([&] {
            children_ran.fetch_add(1, std::memory_order_relaxed);
            children.done();
          });
        }
        EXPECT_EQ(children_ran.load(), 0) << "a go statement yielded after a few go statements";
        stop.store(true, std::memory_order_relaxed);
        children.wait();
        spinners.wait();
      },
      1);
}

}  // namespace
