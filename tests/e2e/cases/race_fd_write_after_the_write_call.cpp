// A pipe orders only what comes before the write: a payload written after write() returns races
// with the reader's use of it even though the reader waited for the byte. The reader also waits,
// through a relaxed flag (no happens-before), until the payload is written: two accesses made at
// the very same instant can both miss each other's cell, and the test must not depend on timing.
// RUN-FLAGS: -race
// OPT: -O0 -O1
// EXIT: 66
// CHECK: WARNING: DATA RACE
// CHECK: Found 1 data race(s)
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <thread>

int payload;
std::atomic<bool> written{false};

int main() {
  int p[2];
  if (pipe(p) != 0) return 1;
  std::thread writer([&] {
    char c = 'x';
    if (write(p[1], &c, 1) != 1) std::perror("write");
    payload = 1;
    written.store(true, std::memory_order_relaxed);
  });
  char c;
  if (read(p[0], &c, 1) != 1) std::perror("read");
  while (!written.load(std::memory_order_relaxed)) {
  }
  const int seen = payload;
  writer.join();
  std::printf("%d\n", seen);
}
