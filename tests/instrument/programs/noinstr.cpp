// GORO_NOINSTR functions are not instrumented, not even after they are inlined into an
// instrumented caller; the caller's own accesses still are.
#include "check.hpp"
#include "fake_runtime.h"

#define GORO_NOINSTR __attribute__((annotate("goro.noinstr")))

long runtime_word;  // stands for runtime-owned memory
long user_word;

GORO_NOINSTR inline void runtime_op(long v) {
  runtime_word = v;  // no hook
  runtime_word += v;
}

__attribute__((noinline)) void user_op(long v) {
  runtime_op(v);  // inlined at -O1 and above
  user_word = v;  // a hook
}

int main() {
  unsigned long writes = __goro_fake.writes[3], reads = __goro_fake.reads[3];
  for (int i = 0; i < 4; ++i) user_op(i);
  unsigned long wrote = __goro_fake.writes[3] - writes, read = __goro_fake.reads[3] - reads;
  CHECK(wrote == 4);  // user_word only
  CHECK(read == 0);
  CHECK(runtime_word == 6 && user_word == 3);
  return finish();
}
