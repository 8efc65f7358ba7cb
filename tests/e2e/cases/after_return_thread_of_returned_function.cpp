// A detached std::thread keeps a reference to a local of the function that started it, which has
// returned: plain threads are checked like goroutines.
// RUN-FLAGS: -race
// OPT: -O1
// EXIT: 66
// CHECK: WARNING: stack use after return
// CHECK: Found 1 stack use(s) after return
#include <atomic>
#include <goro/goro.hpp>
#include <thread>

std::atomic<int> stage{0};

__attribute__((noinline)) void start_logger() {
  long lines = 5;
  std::thread([&] {
    while (stage.load() != 1) std::this_thread::yield();
    lines += 1;  // start_logger has returned
    stage.store(2);
  }).detach();
}

int main() {
  start_logger();
  stage.store(1);
  while (stage.load() != 2) std::this_thread::yield();
  return 0;
}
