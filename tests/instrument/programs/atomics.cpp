// Atomics replaced by the plugin still compute the right values, at every width and type, and the
// runtime sees them: integer RMW ops, compare-exchange (success and failure, strong and weak),
// min/max and float add (compare-exchange loops), pointers, and 16-byte atomics that clang turns
// into __atomic_* library calls.
#include <atomic>
#include <cstdint>

#include "check.hpp"
#include "fake_runtime.h"

std::atomic<int> i32{10};
std::atomic<std::int8_t> i8{1};
std::atomic<std::uint16_t> u16{7};
std::atomic<long> i64{100};
std::atomic<bool> flag{false};
int target[2];
std::atomic<int*> ptr{&target[0]};
std::atomic<double> dbl{1.5};
std::atomic<float> flt{2.0f};
unsigned __int128 wide;
struct pair16 {
  long a, b;
};
std::atomic<pair16> pair{{1, 2}};
int plain;

int main() {
  unsigned long rmw_before = __goro_fake.atomic_rmw;
  CHECK(i32.fetch_add(5) == 10 && i32.load() == 15);
  CHECK(i32.fetch_sub(3, std::memory_order_release) == 15 && i32.load() == 12);
  CHECK(__goro_fake.last_order == 5);  // the load's seq_cst
  CHECK(i32.fetch_and(0b1100) == 12 && i32.fetch_or(1) == 12 && i32.fetch_xor(3) == 13);
  CHECK(i32.load(std::memory_order_relaxed) == 14);
  CHECK(__goro_fake.last_order == 0);
  CHECK(i32.exchange(-1, std::memory_order_acq_rel) == 14 && __goro_fake.last_order == 4);
  CHECK(__goro_fake.atomic_rmw - rmw_before == 6);

  int expected = -1;
  CHECK(i32.compare_exchange_strong(expected, 40, std::memory_order_acquire));
  CHECK(__goro_fake.last_order == 2 && __goro_fake.last_fail_order == 2);
  expected = 0;
  CHECK(!i32.compare_exchange_strong(expected, 50) && expected == 40);
  while (!i32.compare_exchange_weak(expected, 41)) {
  }
  CHECK(i32.load() == 41);

  CHECK(i8.fetch_add(-2) == 1 && i8.load() == -1);
  CHECK(u16.fetch_add(0xfff0) == 7 && u16.load() == 0xfff7);
  CHECK(i64.fetch_add(1L << 40) == 100 && i64.load() == 100 + (1L << 40));
  CHECK(!flag.exchange(true) && flag.load());

  int* old = ptr.exchange(&target[1]);
  CHECK(old == &target[0] && ptr.load() == &target[1]);
  int* want = &target[1];
  CHECK(ptr.compare_exchange_strong(want, &target[0]) && ptr.load() == &target[0]);
  CHECK(ptr.fetch_add(1) == &target[0] && ptr.load() == &target[1]);

  dbl.store(2.25);
  CHECK(dbl.load() == 2.25 && dbl.exchange(3.5) == 2.25);
  CHECK(flt.fetch_add(0.5f) == 2.0f && flt.load() == 2.5f);

  int m = 5;
  CHECK(__atomic_fetch_max(&m, 9, __ATOMIC_SEQ_CST) == 5 && m == 9);
  CHECK(__atomic_fetch_min(&m, 3, __ATOMIC_RELAXED) == 9 && m == 3);
  unsigned um = 1;
  CHECK(__atomic_fetch_max(&um, 0xffffffffu, __ATOMIC_SEQ_CST) == 1 && um == 0xffffffffu);

  // 16 bytes: library calls without -mcx16, IR atomics with it; the hooks either way.
  unsigned long cas_before = __goro_fake.atomic_cas;
  unsigned __int128 big = (static_cast<unsigned __int128>(1) << 100) + 3;
  __atomic_store_n(&wide, big, __ATOMIC_RELEASE);
  CHECK(__goro_fake.last_order == 3);
  CHECK(__atomic_load_n(&wide, __ATOMIC_ACQUIRE) == big);
  CHECK(__atomic_fetch_add(&wide, 5, __ATOMIC_SEQ_CST) == big);
  CHECK(__atomic_add_fetch(&wide, 1, __ATOMIC_SEQ_CST) == big + 6);
  CHECK(__atomic_sub_fetch(&wide, 6, __ATOMIC_SEQ_CST) == big);
  unsigned __int128 seen = 0;
  CHECK(!__atomic_compare_exchange_n(&wide, &seen, 9, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
  CHECK(seen == big && __goro_fake.last_fail_order == 0);
  CHECK(__atomic_compare_exchange_n(&wide, &seen, 9, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
  CHECK(__atomic_exchange_n(&wide, 11, __ATOMIC_SEQ_CST) == 9 && wide == 11);
  CHECK(__goro_fake.atomic_cas - cas_before == 2);

  pair16 p = pair.load();
  CHECK(p.a == 1 && p.b == 2);
  pair.store({3, 4});
  pair16 e{3, 4};
  CHECK(pair.compare_exchange_strong(e, {5, 6}));
  e = {0, 0};
  CHECK(!pair.compare_exchange_strong(e, {7, 8}) && e.a == 5 && e.b == 6);
  CHECK(pair.exchange({9, 10}).a == 5 && pair.load().b == 10);

  unsigned long fences = __goro_fake.thread_fence;
  std::atomic_thread_fence(std::memory_order_release);
  CHECK(__goro_fake.thread_fence == fences + 1 && __goro_fake.last_order == 3);
  std::atomic_signal_fence(std::memory_order_seq_cst);
  CHECK(__goro_fake.signal_fence == 1);

  // A plain access next to the atomics is still a plain access.
  unsigned long writes = __goro_fake.writes[2];
  *static_cast<volatile int*>(&plain) = 1;
  CHECK(__goro_fake.writes[2] == writes + 1);
  CHECK(__goro_fake.race_init == 1);
  return finish();
}
