// Escaping stack variables get __goro_stack_live / __goro_stack_dead around their lives (every
// byte that comes to life dies again, also when an exception leaves the scope, and a parameter
// passed by value lives the whole call); variables whose address never escapes get neither; a
// variable-length array only comes to life.
#include <stdexcept>

#include "check.hpp"
#include "fake_runtime.h"

int* volatile g_kept;

__attribute__((noinline)) void keep(int* p) { g_kept = p; }

__attribute__((noinline)) int escaping(int n) {
  int local = n;  // its address leaves the function: a use after return is possible
  keep(&local);
  return local;
}

__attribute__((noinline)) int in_a_scope(int n) {
  int total = 0;
  for (int i = 0; i < n; ++i) {
    int each = i;  // lives one iteration
    keep(&each);
    total += each;
  }
  return total;
}

__attribute__((noinline)) int not_escaping(int n) {
  int local = n * 3;  // its address is never taken
  local += 33;
  return local;
}

__attribute__((noinline)) void throws(int n) {
  int local = n;
  keep(&local);
  if (n > 0) throw std::runtime_error("out");
}

struct big {
  long values[8];
};

__attribute__((noinline)) long by_value(big b) {  // byval: lives the whole call
  keep(reinterpret_cast<int*>(&b.values[0]));
  return b.values[7];
}

__attribute__((noinline)) int variable_length(int n) {
  int buf[n];  // NOLINT: a VLA on purpose; it only comes to life (its markers cleared)
  keep(&buf[0]);
  return n;
}

int main() {
  // main's own escaping variables may be alive already (-O0: from its entry).
  const long base = __goro_fake.stack_live_bytes;
  const unsigned long live = __goro_fake.stack_live;
  CHECK(escaping(3) == 3);
  CHECK(__goro_fake.stack_live > live);
  CHECK(__goro_fake.stack_live_bytes == base);

  const unsigned long before_loop = __goro_fake.stack_live;
  CHECK(in_a_scope(5) == 10);
  CHECK(__goro_fake.stack_live - before_loop >= 1);
  CHECK(__goro_fake.stack_live_bytes == base);

  const unsigned long calls = __goro_fake.stack_live + __goro_fake.stack_dead;
  CHECK(not_escaping(1) == 36);
  CHECK(__goro_fake.stack_live + __goro_fake.stack_dead == calls);

  const long bytes = __goro_fake.stack_live_bytes;
  CHECK(by_value(big{{0, 1, 2, 3, 4, 5, 6, 7}}) == 7);
  CHECK(__goro_fake.stack_live_bytes == bytes);

  const unsigned long before_vla = __goro_fake.stack_live;
  CHECK(variable_length(5) == 5);
  CHECK(__goro_fake.stack_live > before_vla);
  CHECK(__goro_fake.stack_live_bytes - bytes == 5 * static_cast<long>(sizeof(int)));
  __goro_fake.stack_live_bytes = bytes;

  try {
    throws(1);
  } catch (const std::runtime_error&) {
  }
  CHECK(__goro_fake.stack_live_bytes == base);
  return finish();
}
