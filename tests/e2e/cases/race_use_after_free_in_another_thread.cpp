// A free followed (in time, with no ordering) by another thread's access of the block: the free's
// write stays on the block until it is allocated again, so the late access races with the free.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Read at
// CHECK-RE: race_use_after_free_in_another_thread\.cpp:36\b
// CHECK: Previous write at
// CHECK: free
// CHECK-RE: race_use_after_free_in_another_thread\.cpp:31\b
// CHECK: Found 1 data race(s)
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "race_steps_threads.hpp"

// An odd size, so that no other allocation of the program takes the block back in between.
constexpr std::size_t kWords = 37;
long* g_block;
long g_seen;

int main() {
  g_block = static_cast<long*>(std::malloc(kWords * sizeof(long)));
  for (std::size_t i = 0; i < kWords; ++i) g_block[i] = static_cast<long>(i);
  // The accesses are reading the freed block's last word: the allocator keeps its own links at the
  // start of a free block, the end is left as it was.
  long* const last = g_block + kWords - 1;
  std::thread freer([] {
    std::free(g_block);  // access 1
    reach(1);
  });
  std::thread late([last] {
    await(1);
    g_seen = *static_cast<volatile long*>(last);  // access 2
  });
  freer.join();
  late.join();
  std::printf("%ld\n", g_seen);
}
