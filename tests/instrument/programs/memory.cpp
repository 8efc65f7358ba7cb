// memcpy/memmove/memset still compute the right bytes after the plugin replaced them with the
// runtime's hooks (intrinsics, and libc calls with -fno-builtin), plain accesses are counted once
// per access, and private memory is not counted at all.
#include <cstring>

#include "check.hpp"
#include "fake_runtime.h"

char src[64], dst[64];
volatile int counter;
struct odd {
  char bytes[3];
};
odd odd_a{{1, 2, 3}}, odd_b;

__attribute__((noinline)) void copy(char* d, const char* s, std::size_t n) { std::memcpy(d, s, n); }
__attribute__((noinline)) void move(char* d, const char* s, std::size_t n) {
  std::memmove(d, s, n);
}
__attribute__((noinline)) void fill(char* d, int c, std::size_t n) { std::memset(d, c, n); }

__attribute__((noinline)) int private_work(int n) {
  int local[16];  // never escapes: no hooks
  for (int i = 0; i < 16; ++i) local[i] = i * n;
  int sum = 0;
  for (int i = 0; i < 16; ++i) sum += local[i];
  return sum;
}

int main(int argc, char**) {
  for (int i = 0; i < 64; ++i) src[i] = static_cast<char>(i);
  copy(dst, src, 64);
  CHECK(std::memcmp(dst, src, 64) == 0);
  move(dst + 1, dst, 10 + argc);  // overlapping
  CHECK(dst[0] == 0 && dst[1] == 0 && dst[2] == 1 && dst[11] == 10);
  fill(dst, 0x5a, 32);
  CHECK(dst[0] == 0x5a && dst[31] == 0x5a && dst[32] == 32);
  CHECK(__goro_fake.memcpy_calls >= 1 && __goro_fake.memmove_calls >= 1 &&
        __goro_fake.memset_calls >= 1);

  unsigned long writes = __goro_fake.writes[2];
  for (int i = 0; i < 10; ++i) counter = i;
  CHECK(__goro_fake.writes[2] - writes == 10);
  unsigned long reads = __goro_fake.reads[2];
  int total = 0;
  for (int i = 0; i < 10; ++i) total += counter;
  CHECK(__goro_fake.reads[2] - reads == 10 && total == 90);

  unsigned long before = __goro_fake.writes[2] + __goro_fake.reads[2] + __goro_fake.write_range +
                         __goro_fake.read_range + __goro_fake.memset_calls +
                         __goro_fake.memcpy_calls;
  CHECK(private_work(argc) == 120);
  unsigned long after = __goro_fake.writes[2] + __goro_fake.reads[2] + __goro_fake.write_range +
                        __goro_fake.read_range + __goro_fake.memset_calls +
                        __goro_fake.memcpy_calls;
  CHECK(after == before);

  // A 3-byte object: a range check, a memcpy hook or byte accesses, depending on the -O level.
  unsigned long odd_before = __goro_fake.read_range + __goro_fake.memcpy_calls +
                             __goro_fake.reads[0] + __goro_fake.reads[1];
  odd_b = odd_a;
  CHECK(odd_b.bytes[2] == 3);
  CHECK(__goro_fake.read_range + __goro_fake.memcpy_calls + __goro_fake.reads[0] +
            __goro_fake.reads[1] >
        odd_before);
  return finish();
}
