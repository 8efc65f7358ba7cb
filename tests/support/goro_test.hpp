// Running GoogleTest bodies inside goro::run().
//
// goro::run() is once per process and never returns, so every test is its own process (ctest runs
// each discovered test separately) and run_in_goro() ends the process itself: exit 0 if the test
// body recorded no failure, 1 otherwise. GoogleTest prints failures as they happen.
//
// Example:
//   class SchedTest : public goro_test::procs_test {};
//   TEST_P(SchedTest, Spawns) {
//     run_in_goro([] { ... EXPECT_EQ(...); });
//   }
//   GORO_INSTANTIATE_PROCS(SchedTest);  // runs at GOMAXPROCS 1, 2 and 4
#pragma once

#include <gtest/gtest.h>

#include <goro/goro.hpp>
#include <string>

namespace goro_test {

// The message of the goro::panic that f raises (what() of the panic_error, as Go's recover sees
// it), or "" when f returns.
template <class F>
std::string panic_message(F&& f) {
  try {
    f();
  } catch (const goro::panic_error& e) {
    return e.what();
  }
  return "";
}

// Runs body as goroutine 1 with GOMAXPROCS = procs (0: leave as is). Never returns.
template <class F>
[[noreturn]] void run_in_goro(F&& body, int procs = 0) {
  if (procs > 0) goro::gomaxprocs(procs);
  goro::run([&body] {
    body();
    return ::testing::Test::HasFailure() ? 1 : 0;
  });
}

// A test fixture parameterised by GOMAXPROCS.
class procs_test : public ::testing::TestWithParam<int> {
 protected:
  template <class F>
  [[noreturn]] void run_in_goro(F&& body) {
    goro_test::run_in_goro(std::forward<F>(body), GetParam());
  }
};

}  // namespace goro_test

#define GORO_INSTANTIATE_PROCS(fixture)                                \
  INSTANTIATE_TEST_SUITE_P(Procs, fixture, ::testing::Values(1, 2, 4), \
                           ::testing::PrintToStringParamName())
