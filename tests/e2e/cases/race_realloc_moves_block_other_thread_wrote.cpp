// realloc that moves a block reads the old block and frees it: one thread writes a byte of a small
// malloc'd buffer, another thread later grows the buffer to 1 MiB (which always moves it) with no
// synchronisation -> one race on the old block.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_realloc_moves_block_other_thread_wrote\.cpp:30\b
// CHECK: Previous
// CHECK-RE: race_realloc_moves_block_other_thread_wrote\.cpp:25\b
// CHECK: Found 1 data race(s)
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "race_steps_threads.hpp"

char* buffer;
char* grown;  // written only by the growing thread, read after join

int main() {
  buffer = static_cast<char*>(std::malloc(16));
  for (int i = 0; i < 16; ++i) buffer[i] = 'a';
  std::thread writer([] {
    buffer[3] = 'x';  // access 1
    reach(1);
  });
  std::thread grower([] {
    await(1);
    char* bigger = static_cast<char*>(std::realloc(buffer, 1 << 20));  // access 2
    if (!bigger) std::abort();
    grown = bigger;
  });
  writer.join();
  grower.join();
  std::printf("grown\n");
  std::free(grown);
}
