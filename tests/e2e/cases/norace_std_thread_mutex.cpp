// The clean twin of race_std_thread_mutex_missing: both std::threads write under the std::mutex
// (pthread mutex unlock → lock is an edge), and main reads after join. No race.
// RUN-FLAGS: -race
// EXIT: 0
// CHECK-NOT: DATA RACE
#include <mutex>
#include <thread>

#include "race_steps_threads.hpp"

int g_x;
std::mutex g_mu;

int main() {
  auto work = [] {
    for (int i = 0; i < 100; ++i) {
      std::lock_guard lock(g_mu);
      ++g_x;
    }
  };
  std::thread t1(work), t2(work);
  t1.join();
  t2.join();
  use(g_x);
}
