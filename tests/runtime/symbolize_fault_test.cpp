// A fault inside the symbolizer still ends in a report (runtime/src/debug/symbolize.cpp).
//
// A program whose heap is corrupted can fault in any allocation, including one the symbolizer makes
// while it resolves a pc for a traceback or a race report. The fatal report that follows symbolizes
// again on the same thread, so nothing the symbolizer holds across an allocation may be something a
// second entry waits for. This executable replaces the global operator new with one that faults,
// on the current thread, at its k-th call once armed; each death test arms it for one k and
// symbolizes a pc nothing has asked about, for k = 1, 2, ... until the symbolizer finishes before
// the k-th allocation. Every child must end with the fault's report (exit 2) or finish (exit 0);
// one that hangs is stopped by an alarm and fails its test.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <goro/goro.hpp>
#include <new>

#include "debug/symbolize.hpp"

namespace {

// Allocations left on this thread before the armed fault; 0: disarmed.
thread_local int allocations_before_fault = 0;

void* allocate(std::size_t bytes) {
  if (allocations_before_fault > 0 && --allocations_before_fault == 0) {
    // Far from address 0, so the runtime reports "unexpected fault address", as for a wild write.
    return reinterpret_cast<void*>(*reinterpret_cast<volatile std::uintptr_t*>(0x1000));
  }
  if (void* p = std::malloc(bytes == 0 ? 1 : bytes)) return p;
  throw std::bad_alloc();
}

}  // namespace

void* operator new(std::size_t bytes) { return allocate(bytes); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

// Never called: its address is a pc the symbolizer has not seen in any child.
[[gnu::noinline]] int never_symbolized(int x) {
  asm volatile("" : "+r"(x));
  return x + 1;
}

[[noreturn]] void symbolize_with_fault_at(int k) {
  alarm(60);  // a deadlocked child dies of SIGALRM rather than hanging the suite
  goro::run([k] {
    allocations_before_fault = k;
    const auto pc = reinterpret_cast<std::uintptr_t>(&never_symbolized) + 1;
    const bool named = goro::debug::symbolize(pc).function.ends_with("never_symbolized(int)");
    allocations_before_fault = 0;
    std::_Exit(named ? 0 : 3);
    return 0;
  });
}

TEST(SymbolizeFaultDeathTest, AFaultAtEveryAllocationEndsInAReportNoSan) {
  bool finished = false;
  int k = 1;
  for (; k <= 1000 && !finished; ++k) {
    EXPECT_EXIT(
        symbolize_with_fault_at(k),
        [&finished](int status) {
          if (!WIFEXITED(status)) return false;
          finished = WEXITSTATUS(status) == 0;
          return finished || WEXITSTATUS(status) == 2;
        },
        "^$|unexpected fault address 0x1000\n")
        << "fault at allocation " << k;
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_TRUE(finished) << "the symbolizer still allocated at allocation " << k;
  EXPECT_GT(k, 2) << "the symbolizer made no allocation to fault in";
}

}  // namespace
