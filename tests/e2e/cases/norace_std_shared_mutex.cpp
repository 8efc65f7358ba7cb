// std::shared_mutex between threads: a writer under unique_lock, readers under shared_lock. The
// write unlock is ordered before later read locks, read unlocks before the write lock. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "race_steps_threads.hpp"

int g_x;
std::shared_mutex g_rw;

int main() {
  std::thread writer([] {
    for (int i = 0; i < 100; ++i) {
      std::unique_lock lock(g_rw);
      ++g_x;
    }
  });
  auto read = [] {
    for (int i = 0; i < 100; ++i) {
      std::shared_lock lock(g_rw);
      use(g_x);
    }
  };
  std::thread r1(read), r2(read);
  writer.join();
  r1.join();
  r2.join();
}
