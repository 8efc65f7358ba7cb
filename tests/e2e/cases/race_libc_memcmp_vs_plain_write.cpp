// memcmp reads both ranges: one thread compares two equal 32-byte keys (so every byte is read),
// another thread then changes a byte of the first key with no synchronisation -> one race.
// (At -O1 clang turns `memcmp(...) == 0` into bcmp, which reads the same bytes.)
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK-RE: race_libc_memcmp_vs_plain_write\.cpp:30\b
// CHECK: Previous
// CHECK-RE: race_libc_memcmp_vs_plain_write\.cpp:25\b
// CHECK: Found 1 data race(s)
#include <cstdio>
#include <cstring>
#include <thread>

#include "race_steps_threads.hpp"

unsigned char key_a[32];
unsigned char key_b[32];
bool same;

int main() {
  for (int i = 0; i < 32; ++i) key_a[i] = key_b[i] = static_cast<unsigned char>(i * 7);
  std::thread comparer([] {
    same = std::memcmp(key_a, key_b, sizeof key_a) == 0;  // access 1
    reach(1);
  });
  std::thread mutator([] {
    await(1);
    key_a[20] = 0xff;  // access 2
  });
  comparer.join();
  mutator.join();
  std::printf("same %d\n", same);
}
