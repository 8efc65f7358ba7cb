// A std::string assigned by two goroutines without synchronisation: its length, buffer pointer and
// characters are written by both. Reported (possibly as several pairs inside libstdc++) with both
// assignment lines in the stacks.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_std_string_assign\.cpp:31\b
// CHECK: Previous
// CHECK-RE: race_std_string_assign\.cpp:26\b
// CHECK-RE: Found [1-9][0-9]* data race\(s\)
#include <atomic>
#include <goro/goro.hpp>
#include <string>

// Orders the accesses in time without a happens-before edge (relaxed atomics create none).
std::atomic<int> step{0};
void reach(int n) { step.store(n, std::memory_order_relaxed); }
void await(int n) {
  while (step.load(std::memory_order_relaxed) < n) goro::yield();
}

int main() {
  return goro::run([] {
    std::string s;
    goro::go([&] {
      s = "a string much too long for the small-string buffer";  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      s = "another string, also too long for the small buffer";  // access 2
      reach(2);
    });
    await(2);
  });
}
