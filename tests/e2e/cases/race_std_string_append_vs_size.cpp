// Appending to a std::string in one goroutine while another reads its size(): the length field is
// written and read without synchronisation. A race.
// RUN-FLAGS: -race
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_std_string_append_vs_size\.cpp:31\b
// CHECK: Previous
// CHECK-RE: race_std_string_append_vs_size\.cpp:26\b
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
void use(long v) { asm volatile("" : : "r"(v)); }  // keeps a read that nothing else uses

int main() {
  return goro::run([] {
    std::string s = "abc";
    goro::go([&] {
      s += "def";  // access 1
      reach(1);
    });
    goro::go([&] {
      await(1);
      use(static_cast<long>(s.size()));  // access 2
      reach(2);
    });
    await(2);
  });
}
