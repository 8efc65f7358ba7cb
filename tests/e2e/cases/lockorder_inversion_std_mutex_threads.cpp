// std::mutex with std::threads, no goroutines: one thread takes A then B, a later thread (after
// the first was joined) takes B then A. Never deadlocks; the inversion is reported through the
// pthread interposers, naming the threads.
// RUN-FLAGS: -race
// OPT: -O0 -O2
// EXIT: 66
// CHECK: WARNING: lock-order inversion (potential deadlock)
// CHECK-RE: Mutex M2 acquired here while holding mutex M1 in thread T\d+:
// CHECK: first_a_then_b
// CHECK: Mutex M1 previously acquired by the same thread here:
// CHECK: first_a_then_b
// CHECK-RE: Mutex M1 acquired here while holding mutex M2 in thread T\d+:
// CHECK: then_b_then_a
// CHECK: Mutex M2 previously acquired by the same thread here:
// CHECK: then_b_then_a
// CHECK-RE: Thread T\d+ \(finished\) created at:
// CHECK: Found 1 lock-order inversion(s)
// CHECK-NOT: DATA RACE
#include <mutex>
#include <thread>

std::mutex a, b;
int shared = 0;

__attribute__((noinline)) void first_a_then_b() {
  std::lock_guard la(a);
  std::lock_guard lb(b);
  ++shared;
}

__attribute__((noinline)) void then_b_then_a() {
  std::lock_guard lb(b);
  std::lock_guard la(a);
  ++shared;
}

int main() {
  std::thread(first_a_then_b).join();
  std::thread(then_b_then_a).join();
  return 0;
}
