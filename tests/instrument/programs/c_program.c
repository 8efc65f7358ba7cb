/* C code through the plugin: C11 atomics, memcpy/memset, plain accesses and safe points, with no
 * exception machinery (C functions are nounwind, so no landing pads). */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "fake_runtime.h"

_Atomic long hits;
int table[32];
char copy_dst[32];
const char message[] = "plain C, instrumented";

static int failures;
#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

__attribute__((noinline)) void fill(int n) {
  for (int i = 0; i < n; ++i) {
    table[i] = i * i;
    atomic_fetch_add_explicit(&hits, 1, memory_order_relaxed);
  }
}

int main(void) {
  unsigned long writes = __goro_fake.writes[2], rmw = __goro_fake.atomic_rmw;
  fill(32);
  CHECK(__goro_fake.writes[2] - writes == 32);
  CHECK(__goro_fake.atomic_rmw - rmw == 32 && __goro_fake.last_order == 0);
  CHECK(atomic_load(&hits) == 32 && table[31] == 961);
  memcpy(copy_dst, message, sizeof message);
  CHECK(strcmp(copy_dst, message) == 0);
  memset(copy_dst, 0, sizeof copy_dst);
  CHECK(copy_dst[0] == 0);
  CHECK(__goro_fake.race_init == 1);
  if (failures == 0) printf("ok\n");
  return failures != 0;
}
