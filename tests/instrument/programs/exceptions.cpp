// func_enter/func_exit stay balanced when exceptions unwind through instrumented frames: frames
// with no handler of their own (the plugin's cleanup landing pads), frames with destructors to run,
// a catch that rethrows, a function-try-block, and a frame of another translation unit that has no
// exception handling of its own (exceptions_passthrough.cpp).
#include <stdexcept>
#include <string>

#include "check.hpp"
#include "fake_runtime.h"

int sink;

struct guard {
  ~guard() { sink += 1; }
};

__attribute__((noinline)) void thrower(int n) {
  sink += n;
  if (n > 0) throw std::runtime_error("boom " + std::to_string(n));
}

__attribute__((noinline)) void no_handler(int n) { thrower(n); }

__attribute__((noinline)) void with_destructor(int n) {
  guard g;
  no_handler(n);
}

__attribute__((noinline)) void rethrows(int n) {
  try {
    with_destructor(n);
  } catch (const std::runtime_error&) {
    sink += 2;
    throw;
  }
}

__attribute__((noinline)) int recursive(int n) {
  if (n == 0) {
    thrower(1);
    return 0;
  }
  return recursive(n - 1) + 1;
}

__attribute__((noinline)) void function_try_block(int n) try {
  recursive(n);
} catch (const std::exception&) {
  sink += 3;
}

void pass_through(void (*next)(int), int n);  // exceptions_passthrough.cpp
extern int passthrough_calls;

int main() {
  const long base = goro_fake_depth();
  for (int round = 0; round < 3; ++round) {
    try {
      rethrows(1);
      CHECK(false);
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()) == "boom 1");
      CHECK(goro_fake_depth() == base);
    }
    try {
      recursive(20);
    } catch (const std::exception&) {
      CHECK(goro_fake_depth() == base);
    }
    function_try_block(5);
    CHECK(goro_fake_depth() == base);
    rethrows(0);  // no exception: the normal returns balance too
    CHECK(goro_fake_depth() == base);
    try {
      pass_through(rethrows, 2);
    } catch (const std::runtime_error&) {
      CHECK(goro_fake_depth() == base);
    }
  }
  CHECK(passthrough_calls == 3);  // entered once a round, never returned normally
  CHECK(__goro_fake.func_enter > 30);
  CHECK(__goro_fake.func_enter - __goro_fake.func_exit == static_cast<unsigned long>(base));
  return finish();
}
