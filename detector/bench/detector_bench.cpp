// Measurements behind the detector's design choices (docs/design/detector.md). Built twice: against
// libgoro_race.a (GORO_RACE=1: the detector's own costs and the race runtime's) and against
// libgoro.a (the same runtime workloads without the detector, for the slowdown and memory ratios).
// Not a test: run by hand, `detector_bench_race` and `detector_bench_plain`.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <goro/goro.hpp>
#include <vector>

#if GORO_RACE
#include <tbb/concurrent_hash_map.h>

#include "base.hpp"
#include "detector.hpp"
#include "goro/race_abi.h"
#include "sync_table.hpp"
#endif

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t) {
  return std::chrono::duration<double>(clock_type::now() - t).count();
}

long rss_mib() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return resident * 4096 / (1 << 20);
}

void memory(const char* after) {
#if GORO_RACE
  std::printf("    after %-20s RSS %5ld MiB, detector metadata %5zu MiB\n", after, rss_mib(),
              goro::race::metadata_bytes_in_use() >> 20);
#else
  std::printf("    after %-20s RSS %5ld MiB\n", after, rss_mib());
#endif
}

long peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

// ---- runtime workloads, both builds

void channel_ping_pong(int messages) {
  auto ping = goro::make_chan<int>();
  auto pong = goro::make_chan<int>();
  goro::go([=] {
    for (int i = 0; i < messages; ++i) pong.send(ping.recv());
  });
  const auto t = clock_type::now();
  for (int i = 0; i < messages; ++i) {
    ping.send(i);
    pong.recv();
  }
  std::printf("  chan ping-pong        %8.1f ns/round trip\n", seconds_since(t) * 1e9 / messages);
}

void mutex_uncontended(int n) {
  goro::Mutex mu;
  const auto t = clock_type::now();
  for (int i = 0; i < n; ++i) {
    mu.lock();
    mu.unlock();
  }
  std::printf("  Mutex lock+unlock     %8.1f ns\n", seconds_since(t) * 1e9 / n);
}

void spawn_and_wait(int n) {
  goro::WaitGroup wg;
  std::atomic<long> sum{0};
  const auto t = clock_type::now();
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    goro::go([&, i] {
      sum.fetch_add(i, std::memory_order_relaxed);
      wg.done();
    });
  }
  wg.wait();
  std::printf("  spawn+finish          %8.1f ns/goroutine (%d)\n", seconds_since(t) * 1e9 / n, n);
}

void mutex_many_goroutines(int n) {
  goro::Mutex mu;
  goro::WaitGroup wg;
  long counter = 0;
  const auto t = clock_type::now();
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    goro::go([&] {
      mu.lock();
      ++counter;
      mu.unlock();
      wg.done();
    });
  }
  wg.wait();
  std::printf("  %d goroutines x Mutex %6.1f ms, peak RSS %ld MiB\n", n, seconds_since(t) * 1e3,
              peak_rss_mib());
}

#if GORO_RACE
// ---- the detector's own paths

void accesses() {
  constexpr int kHot = 1 << 13;  // 64 KiB: the same words again and again
  std::vector<std::uint64_t> hot(kHot);
  constexpr long kRounds = 2000;
  auto t = clock_type::now();
  for (long r = 0; r < kRounds; ++r) {
    for (int i = 0; i < kHot; ++i) __goro_read8(&hot[i]);
  }
  std::printf("  read8, hot word       %8.2f ns\n", seconds_since(t) * 1e9 / (kRounds * kHot));
  t = clock_type::now();
  for (long r = 0; r < kRounds; ++r) {
    for (int i = 0; i < kHot; ++i) __goro_write8(&hot[i]);
  }
  std::printf("  write8, hot word      %8.2f ns\n", seconds_since(t) * 1e9 / (kRounds * kHot));

  constexpr long kCold = 8l << 20;  // 64 MiB, each word once per pass: new cells every time
  std::vector<std::uint64_t> cold(kCold);
  for (int pass = 0; pass < 2; ++pass) {
    t = clock_type::now();
    for (long i = 0; i < kCold; ++i) __goro_write8(&cold[i]);
    std::printf("  write8, new word (%d)  %8.2f ns\n", pass, seconds_since(t) * 1e9 / kCold);
    goro::go([] {});  // a release: the next pass is a new epoch, so no cell matches
    goro::yield();
  }
  t = clock_type::now();
  __goro_read_range(cold.data(), kCold * 8);
  std::printf("  read_range 64 MiB     %8.2f ms\n", seconds_since(t) * 1e3);

  constexpr int kCalls = 20'000'000;
  t = clock_type::now();
  for (int i = 0; i < kCalls; ++i) {
    __goro_func_enter(__builtin_return_address(0));
    __goro_func_exit();
  }
  std::printf("  func enter+exit       %8.2f ns\n", seconds_since(t) * 1e9 / kCalls);
}

// Sync-object lookup: the meta shadow against TBB's concurrent_hash_map, the candidate.
void sync_lookup() {
  constexpr int kObjects = 1 << 16;
  constexpr int kLookups = 20'000'000;
  std::vector<std::uint64_t> words(kObjects);
  for (auto& w : words) goro::race::sync_find_or_create(reinterpret_cast<std::uintptr_t>(&w));
  auto t = clock_type::now();
  std::uintptr_t sink = 0;
  for (int i = 0; i < kLookups; ++i) {
    sink += reinterpret_cast<std::uintptr_t>(goro::race::sync_find(
        reinterpret_cast<std::uintptr_t>(&words[(i * 7919) & (kObjects - 1)])));
  }
  std::printf("  meta-shadow find      %8.2f ns\n", seconds_since(t) * 1e9 / kLookups);

  tbb::concurrent_hash_map<std::uintptr_t, int> map;
  for (auto& w : words) map.insert({reinterpret_cast<std::uintptr_t>(&w), 1});
  t = clock_type::now();
  for (int i = 0; i < kLookups; ++i) {
    tbb::concurrent_hash_map<std::uintptr_t, int>::const_accessor a;
    if (map.find(a, reinterpret_cast<std::uintptr_t>(&words[(i * 7919) & (kObjects - 1)]))) {
      sink += a->second;
    }
  }
  std::printf("  tbb::concurrent_hash_map find %5.2f ns\n", seconds_since(t) * 1e9 / kLookups);
  if (sink == 42) std::printf("!");
}

void metadata_allocator() {
  constexpr int kN = 10'000'000;
  auto t = clock_type::now();
  for (int i = 0; i < kN; ++i) goro::race::internal_free(goro::race::internal_alloc(520), 520);
  std::printf("  internal_alloc+free   %8.2f ns\n", seconds_since(t) * 1e9 / kN);
}
#endif

}  // namespace

int main() {
  goro::run([] {
    std::printf("%s build\n", GORO_RACE ? "race" : "plain");
    channel_ping_pong(1'000'000);
    mutex_uncontended(10'000'000);
    memory("start");
    spawn_and_wait(1'000'000);
    memory("1M spawns");
    mutex_many_goroutines(100'000);
    memory("100k mutex");
#if GORO_RACE
    accesses();
    sync_lookup();
    metadata_allocator();
#endif
    std::printf("  peak RSS              %8ld MiB\n", peak_rss_mib());
    return 0;
  });
}
