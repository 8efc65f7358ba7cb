// Escaping stack variables get __goro_stack_live / __goro_stack_dead around their lives (every
// byte that comes to life dies again, also when an exception leaves the scope); variables whose
// address never escapes get neither.
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

int main() {
  const unsigned long live = __goro_fake.stack_live;
  CHECK(escaping(3) == 3);
  CHECK(__goro_fake.stack_live > live);
  CHECK(__goro_fake.stack_live_bytes == 0);

  const unsigned long before_loop = __goro_fake.stack_live;
  CHECK(in_a_scope(5) == 10);
  CHECK(__goro_fake.stack_live - before_loop >= 1);
  CHECK(__goro_fake.stack_live_bytes == 0);

  const unsigned long calls = __goro_fake.stack_live + __goro_fake.stack_dead;
  CHECK(not_escaping(1) == 36);
  CHECK(__goro_fake.stack_live + __goro_fake.stack_dead == calls);

  try {
    throws(1);
  } catch (const std::runtime_error&) {
  }
  CHECK(__goro_fake.stack_live_bytes == 0);
  return finish();
}
