// The earlier access of a race was made by a std::thread whose record has since been evicted (more
// than the 1024 finished threads kept finished after it): the report still names it thread T1, as
// the slot's journal has it, and says that its stacks are gone. It named "goroutine 1" (the
// thread's number taken for a goroutine id), and "Goroutine 1 (finished) created at".
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: ^Read at 0x[0-9a-f]+ by main thread:$
// CHECK-RE: race_evicted_thread_still_named_a_thread\.cpp:30\b
// CHECK-RE: ^Previous write at 0x[0-9a-f]+ by thread T1:$
// CHECK: [failed to restore the stack]
// CHECK-RE: ^Thread T1 \(finished\) created at:$
// CHECK: Found 1 data race(s)
// CHECK-NOT: oroutine
#include <thread>

#include "race_steps_threads.hpp"

int shared;

int main() {
  std::thread first([] { shared = 1; });  // T1
  std::thread churn([&first] {            // T2: T1's end, then 1100 threads' starts and ends
    first.join();
    for (int i = 0; i < 1100; ++i) std::thread([] {}).join();
    reach(1);
  });
  await(1);
  use(shared);  // no edge from T1 to main: races with T1's write
  churn.join();
}
