// std::timed_mutex's try_lock_for and std::shared_timed_mutex's timed tries order critical
// sections like lock() does (glibc's clock-based pthread locks underneath). Threads and goroutines
// each increment shared counters under them.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 0
// CHECK-NOT: DATA RACE
// CHECK-STDOUT: timed 400 shared 400 read 400
#include <chrono>
#include <cstdio>
#include <goro/goro.hpp>
#include <mutex>
#include <shared_mutex>
#include <thread>

std::timed_mutex timed;
std::shared_timed_mutex shared;
int timed_count, shared_count, read_sum;

void work() {
  using namespace std::chrono_literals;
  for (int i = 0; i < 100; ++i) {
    while (!timed.try_lock_for(10s)) {
    }
    ++timed_count;
    timed.unlock();
    while (!shared.try_lock_until(std::chrono::steady_clock::now() + 10s)) {
    }
    ++shared_count;
    shared.unlock();
    while (!shared.try_lock_shared_for(10s)) {
    }
    const int seen = shared_count;
    shared.unlock_shared();
    if (seen > 0) {
      std::lock_guard l(timed);
      ++read_sum;
    }
  }
}

int main() {
  std::thread a(work), b(work);
  a.join();
  b.join();
  goro::run([] {
    goro::WaitGroup wg;
    for (int i = 0; i < 2; ++i) {
      wg.add(1);
      goro::go([&] {
        goro::blocking(work);
        wg.done();
      });
    }
    wg.wait();
    std::printf("timed %d shared %d read %d\n", timed_count, shared_count, read_sum);
  });
}
