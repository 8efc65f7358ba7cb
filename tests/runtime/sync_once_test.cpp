// goro::Once: exactly one call under contention, callers wait for it to finish, an exception
// propagates and still counts as done, and re-entry deadlocks.
#include <atomic>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "support/goro_test.hpp"
#include "support/latch.hpp"

namespace {

using goro_test::latch;

static_assert(!std::is_copy_constructible_v<goro::Once> &&
              !std::is_move_constructible_v<goro::Once>);

class OnceTest : public goro_test::procs_test {};

TEST_P(OnceTest, RunsExactlyOnceUnderContention) {
  run_in_goro([] {
    constexpr int kCallers = 100;
    goro::Once once;
    std::atomic<int> runs{0};
    int value = 0;  // written by f, read by every caller after call() returns
    std::atomic<int> wrong{0};
    latch done(kCallers);
    for (int i = 0; i < kCallers; ++i) {
      goro::go([&] {
        once.call([&] {
          runs.fetch_add(1);
          for (int k = 0; k < 10; ++k) goro::yield();  // others arrive meanwhile
          value = 42;
        });
        if (value != 42) wrong.fetch_add(1);
        done.count_down();
      });
    }
    done.wait();
    EXPECT_EQ(runs.load(), 1);
    EXPECT_EQ(wrong.load(), 0);
  });
}

int free_function_calls = 0;
void free_function() { ++free_function_calls; }

TEST_P(OnceTest, AcceptsFunctionsAndFunctionPointers) {
  run_in_goro([] {
    goro::Once a, b;
    a.call(free_function);
    a.call(free_function);
    void (*pointer)() = free_function;
    b.call(pointer);
    b.call(pointer);
    EXPECT_EQ(free_function_calls, 2);
  });
}

TEST_P(OnceTest, AcceptsLvalueConstAndMutableCallables) {
  run_in_goro([] {
    goro::Once a, b, c;
    int n = 0;
    auto inc = [&n] { ++n; };
    a.call(inc);
    const auto const_inc = inc;
    b.call(const_inc);
    c.call([m = 0, &n]() mutable { n += ++m; });
    a.call(inc);
    b.call(const_inc);
    EXPECT_EQ(n, 3);
  });
}

TEST_P(OnceTest, ThrowingFunctionPropagatesAndCountsAsDone) {
  run_in_goro([] {
    goro::Once once;
    int runs = 0;
    try {
      once.call([&] {
        ++runs;
        throw std::runtime_error("init failed");
      });
      ADD_FAILURE() << "the exception did not propagate";
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()), "init failed");
    }
    once.call([&] { ++runs; });  // done: not called again
    EXPECT_EQ(runs, 1);
    // ... also for a goroutine that was waiting while f threw.
    goro::Once shared;
    std::atomic<int> calls{0};
    latch done(2);
    goro::go([&] {
      try {
        shared.call([&] {
          calls.fetch_add(1);
          for (int k = 0; k < 20; ++k) goro::yield();
          throw goro::panic_error("boom");
        });
      } catch (const goro::panic_error&) {
      }
      done.count_down();
    });
    goro::go([&] {
      shared.call([&] { calls.fetch_add(1); });
      done.count_down();
    });
    done.wait();
    EXPECT_EQ(calls.load(), 1);
  });
}

GORO_INSTANTIATE_PROCS(OnceTest);

TEST(OnceDeathTest, CallingFromInsideTheFunctionDeadlocks) {
  EXPECT_EXIT(goro_test::run_in_goro([] {
                goro::Once once;
                once.call([&] { once.call([] {}); });
              }),
              ::testing::ExitedWithCode(2),
              "fatal error: all goroutines are asleep - deadlock!.*goroutine 1 "
              "\\[sync.Mutex.Lock\\]:");
}

}  // namespace
